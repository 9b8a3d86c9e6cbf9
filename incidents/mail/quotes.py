"""Removing the quoted history from a reply, so a comment holds only what the person wrote this time."""

from __future__ import annotations

import re

MARKER = "##- Please type your reply above this line -##"
_MARKER_TEXT = "type your reply above this line"
_ORIGINAL = re.compile(
    r"^\s*-{2,}\s*(original message|ursprüngliche nachricht|message d'origine|wiadomość oryginalna|"
    r"mensaje original|messaggio originale|forwarded message|weitergeleitete nachricht)\s*-{2,}\s*$",
    re.IGNORECASE,
)
_FROM = re.compile(r"^\s*\*?(from|von|de|od|van|da|från|fra)\s*:\*?\s*\S", re.IGNORECASE)
_SENT = re.compile(
    r"^\s*\*?(sent|date|gesendet|datum|envoyé|wysłano|enviado|inviato|verzonden|skickat|sendt)\s*:\*?", re.IGNORECASE
)
_WROTE = re.compile(
    r"^\s*(on|am|le|el|il|op|w dniu|em|den)\s.{0,300}?"
    r"(wrote|schrieb|a écrit|escribió|ha scritto|schreef|napisał\(a\)|napisał|pisze|escreveu|skrev)(\s.{0,200})?\s*:\s*$",
    re.IGNORECASE | re.DOTALL,
)
_UNDERSCORES = re.compile(r"^\s*_{10,}\s*$")


def _is_header_block(lines: list[str], start: int) -> bool:
    """An Outlook-style "From: ... Sent: ..." block of the quoted message starts at `start`."""
    if not _FROM.match(lines[start]):
        return False
    return any(_SENT.match(line) for line in lines[start + 1 : start + 6])


def _wrote_at(lines: list[str], start: int) -> bool:
    """An "On <date>, <person> wrote:" line, possibly wrapped over up to three lines, starts at `start`."""
    first = lines[start].strip()
    # Attributions carry a date; a sentence of the reply that merely starts with "On" or "Am" does not end in one.
    if not re.search(r"\d", first) or first.endswith((".", "!", "?")):
        return False
    for span in (1, 2, 3):
        chunk = " ".join(line.strip() for line in lines[start : start + span])
        if len(chunk) <= 400 and _WROTE.match(chunk):
            return True
    return False


def strip_reply(text: str) -> str:
    """The new part of a reply: cut at our marker, "On ... wrote:", Outlook headers; drop "> " lines and signature."""
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    cut = len(lines)
    for index, line in enumerate(lines):
        stripped = line.strip()
        if _MARKER_TEXT in stripped.lower():
            cut = index
            break
        if _ORIGINAL.match(stripped) or _is_header_block(lines, index):
            cut = index
            break
        if _UNDERSCORES.match(stripped) and any(_FROM.match(x) for x in lines[index + 1 : index + 4]):
            cut = index
            break
        if not stripped.startswith(">") and _wrote_at(lines, index):
            cut = index
            break
    kept = [line for line in lines[:cut] if not line.lstrip().startswith(">")]
    for index in range(len(kept) - 1, -1, -1):
        if kept[index] in ("-- ", "--"):
            kept = kept[:index]
            break
    result = "\n".join(line.rstrip() for line in kept)
    result = re.sub(r"\n{3,}", "\n\n", result)
    return result.strip()
