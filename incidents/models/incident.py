"""The incident, its append-only timeline, attachments and the caller's satisfaction rating."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.exceptions import PermissionDenied
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from incidents.choices import (
    OPEN_STATES,
    Channel,
    EntryKind,
    Level,
    OnHoldReason,
    Priority,
    ResolutionCode,
    State,
)


class Incident(models.Model):
    """An unplanned interruption or degradation of a service, worked from registration to closure.

    Never assign its fields directly: every change goes through incidents.lifecycle.
    """

    number = models.CharField(max_length=16, unique=True, editable=False)
    short_description = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    caller = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reported_incidents")
    organization = models.ForeignKey(
        "incidents.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="incidents"
    )
    channel = models.CharField(max_length=12, choices=Channel.choices, default=Channel.AGENT)
    service = models.ForeignKey(
        "incidents.Service", null=True, blank=True, on_delete=models.PROTECT, related_name="incidents"
    )
    ci = models.ForeignKey(
        "incidents.ConfigurationItem",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incidents",
        verbose_name="configuration item",
    )
    category = models.ForeignKey(
        "incidents.Category", null=True, blank=True, on_delete=models.PROTECT, related_name="incidents"
    )
    impact = models.CharField(max_length=10, choices=Level.choices, default=Level.LOW)
    urgency = models.CharField(max_length=10, choices=Level.choices, default=Level.LOW)
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.P5)
    state = models.CharField(max_length=12, choices=State.choices, default=State.NEW)
    on_hold_reason = models.CharField(max_length=20, choices=OnHoldReason.choices, blank=True)
    assigned_team = models.ForeignKey(
        "incidents.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="incidents"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="assigned_incidents"
    )
    watchers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="watched_incidents")
    is_major = models.BooleanField("major incident", default=False)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    resolution_code = models.CharField(max_length=20, choices=ResolutionCode.choices, blank=True)
    resolution_notes = models.TextField(blank=True)
    escalation_level = models.PositiveSmallIntegerField(default=0)
    reopen_count = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(db_index=True)
    updated_at = models.DateTimeField(db_index=True)
    first_response_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    search_vector = models.GeneratedField(
        expression=SearchVector("short_description", "description", config="english"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["state", "-updated_at"], name="incident_state_updated_idx"),
            # The API's and the queue's keyset pagination: newest first, ties broken by id.
            models.Index(fields=["-created_at", "-id"], name="incident_created_id_idx"),
            models.Index(fields=["assigned_team", "-created_at", "-id"], name="incident_team_created_idx"),
            models.Index(fields=["assigned_team", "state", "-updated_at"], name="incident_team_state_idx"),
            models.Index(fields=["assignee", "state", "-updated_at"], name="incident_assignee_state_idx"),
            models.Index(fields=["caller", "-created_at"], name="incident_caller_idx"),
            models.Index(fields=["priority", "state", "-created_at"], name="incident_priority_state_idx"),
            models.Index(fields=["parent"], name="incident_parent_idx", condition=models.Q(parent__isnull=False)),
            models.Index(
                fields=["resolved_at"], name="incident_resolved_due_idx", condition=models.Q(state="resolved")
            ),
            models.Index(
                fields=["-created_at", "-id"],
                name="incident_open_created_idx",
                condition=models.Q(state__in=OPEN_STATES),
            ),
            models.Index(fields=["-is_major"], name="incident_major_idx", condition=models.Q(is_major=True)),
            GinIndex(fields=["search_vector"], name="incident_search_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.short_description}"

    def get_absolute_url(self) -> str:
        return f"/incidents/{self.number}/"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


class TimelineEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):  # noqa: ARG002
        raise PermissionDenied("Timeline entries are append-only.")

    def delete(self):
        raise PermissionDenied("Timeline entries are append-only.")


class TimelineEntry(models.Model):
    """One append-only record of what happened to an incident: who, when, what from what to what.

    A database trigger (migration 0002) refuses UPDATE and DELETE as well, so no code path can rewrite history.
    """

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="timeline")
    kind = models.CharField(max_length=16, choices=EntryKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Empty when the system acted (SLA engine, auto-close, monitoring).",
    )
    created_at = models.DateTimeField(db_index=True)
    field = models.CharField(max_length=40, blank=True)
    old_value = models.TextField(blank=True)
    new_value = models.TextField(blank=True)
    body = models.TextField(blank=True)
    is_public = models.BooleanField(default=False, help_text="Visible to the caller on the portal and by email.")
    data = models.JSONField(default=dict, blank=True)

    objects = TimelineEntryQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name_plural = "timeline entries"
        indexes = [models.Index(fields=["incident", "created_at", "id"], name="timeline_incident_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.incident_id} at {self.created_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionDenied("Timeline entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("Timeline entries are append-only.")

    @property
    def actor_name(self) -> str:
        return self.actor.display_name if self.actor_id else "System"


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"attachments/{instance.incident_id}/{filename}"


class Attachment(models.Model):
    """A file attached to an incident, optionally to one of its comments or work notes."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="attachments")
    entry = models.ForeignKey(
        TimelineEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="attachments"
    )
    file = models.FileField(upload_to=attachment_path, max_length=300)
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    is_public = models.BooleanField(default=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.filename


class IncidentRating(models.Model):
    """The caller's satisfaction with a resolved incident, 1 (poor) to 5 (excellent)."""

    incident = models.OneToOneField(Incident, on_delete=models.CASCADE, related_name="rating")
    rated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    score = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(score__gte=1, score__lte=5), name="rating_score_1_5")]

    def __str__(self) -> str:
        return f"{self.incident_id}: {self.score}/5"
