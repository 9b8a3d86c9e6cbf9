"""Renders timeline entries once: an entry never changes after it is written, so its HTML is kept in-process
per (entry, viewer's time zone, attachments) and a 200-entry history costs 200 lookups, not 200 renders."""

from __future__ import annotations

from collections.abc import Iterable

from django.template.loader import get_template
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from incidents.models import Attachment, Incident, TimelineEntry
from incidents.workspace import markup, timeline
from incidents.workspace.lru import LRU

_cache = LRU(50_000)
TEMPLATE = "agent/_timeline_entry.html"


def render(
    incident: Incident, entries: Iterable[TimelineEntry], files: dict[int, list[Attachment]]
) -> list[SafeString]:
    """The HTML of each entry (an <li>), in the order given."""
    zone = timezone.get_current_timezone_name()
    template = None
    out: list[SafeString] = []
    for entry in entries:
        attached = files.get(entry.pk, [])
        key = (entry.pk, zone, tuple(a.pk for a in attached))
        html = _cache.get(key)
        if html is None:
            template = template or get_template(TEMPLATE)
            html = template.render(
                {
                    "e": entry,
                    "text": timeline.describe(entry),
                    "html": markup.render_entry(entry.pk, entry.body) if entry.body else "",
                    "files": attached,
                    "number": incident.number,
                }
            )
            _cache.set(key, html)
        out.append(mark_safe(html))  # noqa: S308 - rendered by our autoescaping template
    return out
