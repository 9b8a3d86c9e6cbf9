"""Optimistic concurrency over HTTP: ETag from the incident's version, If-Match on writes, If-None-Match on reads."""

from __future__ import annotations

import re

from incidents.models import Incident

_TAG = re.compile(r'^\s*(?:W/)?"?(?:(\d{1,18})\.)?(\d{1,9})"?\s*$')


def etag(incident: Incident) -> str:
    return f'"{incident.pk}.{incident.version}"'


def expected_version(request, incident: Incident) -> int | None:
    """The version the client last saw, from If-Match; None without the header or with `*`.

    A tag for another incident, or one we cannot read, can never match: it yields version 0, which the lifecycle
    rejects as stale (412) before changing anything.
    """
    header = request.headers.get("If-Match")
    if header is None or header.strip() == "*":
        return None
    for part in header.split(","):
        match = _TAG.match(part)
        if match and (match.group(1) is None or int(match.group(1)) == incident.pk):
            return int(match.group(2))
    return 0


def not_modified(request, incident: Incident) -> bool:
    header = request.headers.get("If-None-Match")
    if not header:
        return False
    current = etag(incident)
    return any(part.strip() in ("*", current, f"W/{current}") for part in header.split(","))
