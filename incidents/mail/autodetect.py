"""Recognising mail no person wrote (auto-replies, bounces, lists, our own mail), which we never act on or answer."""

from __future__ import annotations

import re

from incidents.mail.parsing import ParsedMail

AUTOMATED_LOCALPARTS = {"mailer-daemon", "postmaster", "mail-daemon", "mailerdaemon"}
AUTOMATED_PRECEDENCE = {"bulk", "junk", "list", "auto_reply"}
AUTOMATED_SUBJECT = re.compile(
    r"^\s*(automatic reply|auto[- ]?reply|autoreply|auto-response|out of (the )?office|abwesenheitsnotiz|"
    r"automatische antwort|réponse automatique|undeliverable|undelivered mail|delivery status notification|"
    r"mail delivery (failed|failure)|returned mail|failure notice)\b",
    re.IGNORECASE,
)


def automatic_reason(mail: ParsedMail, *, own_addresses: set[str]) -> str | None:
    """Why this message must be ignored, or None when a person wrote it."""
    h = mail.headers
    auto_submitted = h.get("auto-submitted", "").strip().lower()
    if auto_submitted and auto_submitted != "no":
        return f"automatic mail (Auto-Submitted: {auto_submitted})"
    for name in ("x-autoreply", "x-autorespond", "x-autoreply-from", "x-mail-autoreply"):
        if name in h:
            return f"auto-reply ({name})"
    precedence = (h.get("precedence") or h.get("x-precedence") or "").strip().lower()
    if precedence in AUTOMATED_PRECEDENCE:
        return f"bulk or list mail (Precedence: {precedence})"
    if mail.content_type == "multipart/report" or "x-failed-recipients" in h:
        return "delivery report (bounce)"
    if h.get("return-path", "").strip() == "<>":
        return "bounce (empty return path)"
    local = mail.from_address.split("@", 1)[0]
    if local in AUTOMATED_LOCALPARTS:
        return f"bounce or system mail from {mail.from_address}"
    if mail.from_address and mail.from_address in own_addresses:
        return "mail loop: sent from our own address"
    if any(address in h.get("x-loop", "").lower() for address in own_addresses if address):
        return "mail loop: X-Loop names us"
    if AUTOMATED_SUBJECT.match(mail.subject or ""):
        return "auto-reply or bounce (subject)"
    return None
