"""One narrow row per responded or resolved incident: its durations and dimensions, for exact percentiles."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

DIMENSIONS = ("assigned_team_id", "service_id", "priority", "category_id", "organization_id", "assignee_id")


class IncidentFact(models.Model):
    """Wall-clock response and resolution seconds of one incident, by its current dimensions.

    Kept by the rollup rebuild and refresh (reporting.rollups) from the same incidents; independent of the report
    zone (rows are selected by instant). The partial covering indexes make the percentile, histogram and resolved
    workload queries index-only range scans."""

    incident_id = models.BigIntegerField(primary_key=True)
    created_at = models.DateTimeField()
    first_response_at = models.DateTimeField(null=True)
    resolved_at = models.DateTimeField(null=True)
    assigned_team_id = models.BigIntegerField(null=True)
    service_id = models.BigIntegerField(null=True)
    priority = models.PositiveSmallIntegerField()
    category_id = models.BigIntegerField(null=True)
    organization_id = models.BigIntegerField(null=True)
    assignee_id = models.BigIntegerField(null=True)
    response_seconds = models.FloatField(null=True)
    resolution_seconds = models.FloatField(null=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["resolved_at"],
                include=["resolution_seconds", *DIMENSIONS],
                condition=Q(resolved_at__isnull=False),
                name="reporting_fact_resolved_idx",
            ),
            models.Index(
                fields=["first_response_at"],
                include=["response_seconds", *DIMENSIONS],
                condition=Q(first_response_at__isnull=False),
                name="reporting_fact_responded_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"Incident {self.incident_id} facts"
