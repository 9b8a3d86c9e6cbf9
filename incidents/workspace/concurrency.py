"""Optimistic concurrency for writes that do not pass through a lifecycle call carrying expected_version."""

from __future__ import annotations

from incidents.errors import StaleVersionError
from incidents.models import Incident


def check_version(incident_id: int, expected_version: int | None) -> None:
    """Locks the incident row (inside the caller's transaction) and refuses a stale version."""
    current = Incident.objects.select_for_update(of=("self",)).values_list("version", flat=True).get(pk=incident_id)
    if expected_version is not None and int(expected_version) != current:
        raise StaleVersionError(expected=int(expected_version), current=current)
