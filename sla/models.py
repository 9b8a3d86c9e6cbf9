"""Business calendars, SLA policies and their escalation rules, SLA timers and the events they record."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone as dj_timezone

from sla.choices import DEFAULT_PAUSE_REASONS, DEFAULT_THRESHOLDS, EventKind, Metric, TimerState


def _default_thresholds() -> list[int]:
    return list(DEFAULT_THRESHOLDS)


def _default_pause_reasons() -> list[str]:
    return list(DEFAULT_PAUSE_REASONS)


def _default_weekly_hours() -> dict:
    return {day: [["08:00", "16:00"]] for day in ("monday", "tuesday", "wednesday", "thursday", "friday")}


class BusinessCalendar(models.Model):
    """Working hours of one time zone, week by week, minus holidays; SLA clocks only run inside them."""

    name = models.CharField(max_length=120, unique=True)
    timezone = models.CharField(max_length=64, default="UTC", help_text="IANA zone, e.g. Europe/Warsaw.")
    weekly_hours = models.JSONField(
        default=_default_weekly_hours,
        help_text='Per weekday, a list of ["HH:MM", "HH:MM"] intervals; ["00:00", "00:00"] is the whole day. '
        "Missing days are closed.",
    )
    description = models.TextField(blank=True)
    updated_at = models.DateTimeField(default=dj_timezone.now, help_text="Bumped on every change, holidays included.")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.updated_at = dj_timezone.now()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "updated_at"}
        super().save(*args, **kwargs)

    def touch(self) -> None:
        """Marks the calendar changed so every process rebuilds its cached WorkCalendar."""
        BusinessCalendar.objects.filter(pk=self.pk).update(updated_at=dj_timezone.now())


class Holiday(models.Model):
    """A date on which a calendar does not work."""

    calendar = models.ForeignKey(BusinessCalendar, on_delete=models.CASCADE, related_name="holidays")
    date = models.DateField()
    name = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["calendar", "date"], name="sla_holiday_unique_date")]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}".strip()

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self.calendar.touch()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        self.calendar.touch()
        return result


class SlaPolicy(models.Model):
    """A target for one metric on the incidents that match its conditions; the most specific policy wins."""

    name = models.CharField(max_length=160, unique=True)
    description = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)
    metric = models.CharField(max_length=12, choices=Metric.choices)
    target = models.DurationField(help_text="Business time allowed, e.g. 04:00:00.")
    calendar = models.ForeignKey(BusinessCalendar, on_delete=models.PROTECT, related_name="policies")
    order = models.PositiveIntegerField(default=100, help_text="Among equally specific policies, the lowest wins.")
    warning_thresholds = ArrayField(
        models.PositiveSmallIntegerField(), default=_default_thresholds, blank=True, help_text="Percent of target."
    )
    pause_reasons = ArrayField(
        models.CharField(max_length=20), default=_default_pause_reasons, blank=True, help_text="On-hold reasons."
    )
    # Conditions: an empty condition matches everything.
    organizations = models.ManyToManyField("incidents.Organization", blank=True, related_name="+")
    priorities = ArrayField(models.PositiveSmallIntegerField(), default=list, blank=True)
    services = models.ManyToManyField("incidents.Service", blank=True, related_name="+")
    categories = models.ManyToManyField("incidents.Category", blank=True, related_name="+")
    teams = models.ManyToManyField("incidents.Team", blank=True, related_name="+")
    channels = ArrayField(models.CharField(max_length=12), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["metric", "order", "name"]
        verbose_name = "SLA policy"
        verbose_name_plural = "SLA policies"
        constraints = [
            models.CheckConstraint(condition=models.Q(target__gt=timedelta(0)), name="sla_policy_target_positive")
        ]

    def __str__(self) -> str:
        return self.name


class EscalationRule(models.Model):
    """What to do when a timer of a policy reaches a percent of its target (100 = the breach)."""

    policy = models.ForeignKey(SlaPolicy, on_delete=models.CASCADE, related_name="rules")
    at_percent = models.PositiveSmallIntegerField(default=100, help_text="100 means at breach.")
    reassign_to_escalation_team = models.BooleanField(default=False)
    notify_team_manager = models.BooleanField(default=False)
    notify_users = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    notify_team = models.ForeignKey(
        "incidents.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    raise_priority = models.BooleanField(default=False, help_text="One step up, e.g. P3 to P2.")

    class Meta:
        ordering = ["policy", "at_percent", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(at_percent__gte=1, at_percent__lte=1000), name="sla_rule_percent_range"
            )
        ]

    def __str__(self) -> str:
        return f"{self.policy} at {self.at_percent}%"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        _touch_policy(self.policy_id)

    def delete(self, *args, **kwargs):
        policy_id = self.policy_id
        result = super().delete(*args, **kwargs)
        _touch_policy(policy_id)
        return result


def _touch_policy(policy_id: int) -> None:
    """A rule change makes every process reload the policies (they compare the policies' latest updated_at)."""
    SlaPolicy.objects.filter(pk=policy_id).update(updated_at=dj_timezone.now())


class SlaTimer(models.Model):
    """The clock of one metric of one incident under one policy; the tick reads `next_check_at`."""

    incident = models.ForeignKey("incidents.Incident", on_delete=models.CASCADE, related_name="sla_timers")
    policy = models.ForeignKey(SlaPolicy, on_delete=models.PROTECT, related_name="timers")
    metric = models.CharField(max_length=12, choices=Metric.choices)
    team = models.ForeignKey(
        "incidents.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", help_text="OLA only."
    )
    state = models.CharField(max_length=10, choices=TimerState.choices, default=TimerState.RUNNING)
    breached = models.BooleanField(default=False)
    breached_at = models.DateTimeField(null=True, blank=True)
    warning_threshold = models.PositiveSmallIntegerField(default=0, help_text="Highest warning percent crossed.")
    checked_percent = models.PositiveSmallIntegerField(default=0, help_text="Highest checkpoint the tick handled.")
    target = models.DurationField()
    business_elapsed = models.DurationField(default=timedelta(0))
    elapsed_at = models.DateTimeField(help_text="Instant up to which business_elapsed is counted.")
    started_at = models.DateTimeField()
    due_at = models.DateTimeField(null=True, blank=True)
    paused_at = models.DateTimeField(null=True, blank=True)
    stopped_at = models.DateTimeField(null=True, blank=True)
    next_check_at = models.DateTimeField(null=True, blank=True)
    pause_log = models.JSONField(
        default=list, blank=True, help_text="[from, to] ISO instants during which the clock stood still."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["incident", "metric", "id"]
        verbose_name = "SLA timer"
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "policy", "metric", "team"], name="sla_timer_unique", nulls_distinct=False
            ),
        ]
        indexes = [
            # The tick's only probe: running timers by their next check. Paused or stopped timers are not in it.
            models.Index(fields=["next_check_at"], name="sla_timer_due_idx", condition=models.Q(state="running")),
            models.Index(fields=["incident", "state"], name="sla_timer_incident_idx"),
            models.Index(
                fields=["due_at"],
                name="sla_timer_open_due_idx",
                condition=models.Q(state__in=["running", "paused"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_metric_display()} of incident {self.incident_id} ({self.state})"


class SlaEvent(models.Model):
    """One threshold crossing of one timer, recorded exactly once (warning at a percent, or the breach)."""

    timer = models.ForeignKey(SlaTimer, on_delete=models.CASCADE, related_name="events")
    incident = models.ForeignKey("incidents.Incident", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=EventKind.choices)
    threshold = models.PositiveSmallIntegerField(help_text="Percent of target; 100 for the breach.")
    due_at = models.DateTimeField(help_text="Instant the threshold was reached.")
    recorded_at = models.DateTimeField(default=dj_timezone.now)

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = "SLA event"
        constraints = [models.UniqueConstraint(fields=["timer", "kind", "threshold"], name="sla_event_unique_crossing")]
        indexes = [models.Index(fields=["incident", "due_at"], name="sla_event_incident_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.threshold}% on timer {self.timer_id}"


class EscalationFiring(models.Model):
    """Proof that a rule fired for a timer; its unique constraint makes a second firing impossible."""

    timer = models.ForeignKey(SlaTimer, on_delete=models.CASCADE, related_name="firings")
    rule = models.ForeignKey(EscalationRule, on_delete=models.CASCADE, related_name="firings")
    fired_at = models.DateTimeField(default=dj_timezone.now)
    outcome = models.TextField(blank=True)

    class Meta:
        ordering = ["fired_at", "id"]
        constraints = [models.UniqueConstraint(fields=["timer", "rule"], name="sla_firing_unique")]

    def __str__(self) -> str:
        return f"{self.rule} on timer {self.timer_id}"
