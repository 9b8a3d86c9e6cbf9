"""Possible duplicates: open incidents whose text shares words with what the agent is typing."""

from __future__ import annotations

import re

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import F

from incidents.choices import OPEN_STATES
from incidents.models import Incident

WORD = re.compile(r"[^\W_]{3,}", re.UNICODE)


def similar_open_incidents(text: str, *, limit: int = 5) -> list[Incident]:
    """Open incidents ranked by full-text similarity to `text` (any of its words), best first."""
    words = list(dict.fromkeys(w.lower() for w in WORD.findall(text or "")))[:12]
    if not words:
        return []
    # Any word may match ("|"); the rank puts incidents sharing more of them first.
    query = SearchQuery(" | ".join(words), config="english", search_type="raw")
    return list(
        Incident.objects.filter(state__in=OPEN_STATES, search_vector=query)
        .annotate(rank=SearchRank(F("search_vector"), query))
        .select_related("caller", "assigned_team")
        .only(
            "number", "short_description", "state", "priority", "created_at", "caller__first_name",
            "caller__last_name", "caller__username", "assigned_team__name",
        )
        .order_by("-rank", "-created_at")[:limit]
    )  # fmt: skip
