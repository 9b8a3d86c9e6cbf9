"""Portal data: each user's email preferences, and report-form sessions from which deflections are counted."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from incidents.portal.choices import SessionOutcome, SuggestionKind


class NotificationPreference(models.Model):
    """Which emails one person wants; a person without a row gets every email."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="portal_preference")
    confirmations = models.BooleanField("when I report something", default=True)
    replies = models.BooleanField("when someone writes to me", default=True)
    status_changes = models.BooleanField("when the status changes", default=True)
    solved = models.BooleanField("when my problem is fixed", default=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Email preferences of {self.user}"


class ReportSession(models.Model):
    """One visit to the "Report a problem" form, created when a suggestion is opened from it or it is submitted.

    See docs/portal.md for how its outcome (and so a deflection) is decided.
    """

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    started_at = models.DateTimeField()
    last_opened_at = models.DateTimeField(null=True, blank=True)
    query = models.CharField(max_length=200, blank=True, help_text="What the user had typed when last seen.")
    incident = models.ForeignKey(
        "incidents.Incident", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome = models.CharField(max_length=20, choices=SessionOutcome.choices, default=SessionOutcome.OPEN)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        indexes = [
            models.Index(fields=["last_opened_at"], name="portal_session_open_idx", condition=models.Q(outcome="open")),
            models.Index(fields=["outcome", "decided_at"], name="portal_session_outcome_idx"),
        ]

    def __str__(self) -> str:
        return f"Report form of {self.user} at {self.started_at:%Y-%m-%d %H:%M} ({self.get_outcome_display()})"


class SuggestionOpen(models.Model):
    """A suggestion (article or known outage) the user opened from the report form."""

    session = models.ForeignKey(ReportSession, on_delete=models.CASCADE, related_name="opens")
    kind = models.CharField(max_length=10, choices=SuggestionKind.choices)
    target = models.CharField(max_length=300, help_text="The article or outage page that was opened.")
    opened_at = models.DateTimeField()

    class Meta:
        ordering = ["opened_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.target}"


class DeflectionManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(outcome=SessionOutcome.DEFLECTED)


class Deflection(ReportSession):
    """A report form abandoned after a suggestion was opened: one problem the user solved without the desk."""

    objects = DeflectionManager()

    class Meta:
        proxy = True
        ordering = ["-decided_at"]
