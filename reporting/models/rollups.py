"""Daily rollups: per local day of one report zone, counts and sums that dashboards add up instead of scanning."""

from __future__ import annotations

from django.db import models


class RollupState(models.Model):
    """One report time zone whose rollups exist, and up to when incidents were looked at."""

    zone = models.CharField(max_length=64, unique=True)
    built_at = models.DateTimeField(help_text="When the rollups of this zone were first completely built.")
    refreshed_at = models.DateTimeField(help_text="Incidents changed before this instant are in the rollups.")

    class Meta:
        ordering = ["zone"]

    def __str__(self) -> str:
        return f"{self.zone} (refreshed {self.refreshed_at:%Y-%m-%d %H:%M})"


class DailyMeasures(models.Model):
    """The counts and duration sums of one rollup row (reporting.sql.MEASURES)."""

    zone = models.CharField(max_length=64)
    day = models.DateField()
    priority = models.PositiveSmallIntegerField()
    created = models.PositiveIntegerField(default=0)
    resolved = models.PositiveIntegerField(default=0)
    cancelled = models.PositiveIntegerField(default=0)
    reopened = models.PositiveIntegerField(default=0)
    escalated = models.PositiveIntegerField(default=0)
    responded = models.PositiveIntegerField(default=0)
    response_seconds = models.FloatField(default=0)
    resolution_seconds = models.FloatField(default=0)
    first_contact = models.PositiveIntegerField(default=0)
    rated = models.PositiveIntegerField(default=0)
    rating_sum = models.PositiveIntegerField(default=0)
    rating_1 = models.PositiveIntegerField(default=0)
    rating_2 = models.PositiveIntegerField(default=0)
    rating_3 = models.PositiveIntegerField(default=0)
    rating_4 = models.PositiveIntegerField(default=0)
    rating_5 = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


class IncidentDailyRollup(DailyMeasures):
    """Counts and duration sums of one local day for one (team, service, priority), by the incident's current values.

    created by created_at, resolved/resolution/fcr/ratings by resolved_at, cancelled by cancelled_at, responses by
    first_response_at, reopened and escalated by the timeline entry's time. See docs/metrics.md.
    """

    team_id = models.BigIntegerField(null=True)
    service_id = models.BigIntegerField(null=True)

    class Meta:
        ordering = ["zone", "day"]
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "day", "team_id", "service_id", "priority"],
                name="reporting_incident_rollup_unique",
                nulls_distinct=False,
            )
        ]
        indexes = [models.Index(fields=["zone", "day"], name="reporting_incroll_day_idx")]

    def __str__(self) -> str:
        return f"{self.zone} {self.day} team={self.team_id} service={self.service_id} P{self.priority}"


class IncidentCategoryDailyRollup(DailyMeasures):
    """The same measures per local day for one (category, organization, priority): what category and organization
    filters read (with a priority at most; combined with a team or service filter the reports read incidents)."""

    category_id = models.BigIntegerField(null=True)
    organization_id = models.BigIntegerField(null=True)

    class Meta:
        ordering = ["zone", "day"]
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "day", "category_id", "organization_id", "priority"],
                name="reporting_category_rollup_unique",
                nulls_distinct=False,
            )
        ]
        indexes = [models.Index(fields=["zone", "day"], name="reporting_catroll_day_idx")]

    def __str__(self) -> str:
        return f"{self.zone} {self.day} category={self.category_id} org={self.organization_id} P{self.priority}"


class SlaDailyRollup(models.Model):
    """Met and breached counts of the SLA timers completed on one local day, per metric and incident dimensions."""

    zone = models.CharField(max_length=64)
    day = models.DateField()
    metric = models.CharField(max_length=12)
    team_id = models.BigIntegerField(null=True)
    service_id = models.BigIntegerField(null=True)
    priority = models.PositiveSmallIntegerField()
    category_id = models.BigIntegerField(null=True)
    organization_id = models.BigIntegerField(null=True)
    met = models.PositiveIntegerField(default=0)
    breached = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["zone", "day"]
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "day", "metric", "team_id", "service_id", "priority", "category_id", "organization_id"],
                name="reporting_sla_rollup_unique",
                nulls_distinct=False,
            )
        ]
        indexes = [models.Index(fields=["zone", "day"], name="reporting_slaroll_day_idx")]

    def __str__(self) -> str:
        return f"{self.zone} {self.day} {self.metric}: {self.met} met, {self.breached} breached"
