"""The transactional outbox: what must be sent, written in the same transaction as its cause."""

from __future__ import annotations

from django.db import models
from django.db.models.fields.json import KeyTextTransform

from incidents.choices import NotificationChannel, NotificationStatus


class Notification(models.Model):
    """A message to deliver (email or webhook); `key` makes a duplicate of the same cause impossible."""

    key = models.CharField(max_length=200, unique=True)
    channel = models.CharField(max_length=10, choices=NotificationChannel.choices, default=NotificationChannel.EMAIL)
    kind = models.CharField(max_length=40, help_text="What caused it: incident_created, comment, assigned, ...")
    recipient = models.CharField(max_length=500, help_text="Email address or webhook URL.")
    subject = models.CharField(max_length=300, blank=True)
    body = models.TextField(blank=True)
    payload = models.JSONField(default=dict, blank=True)
    headers = models.JSONField(default=dict, blank=True)
    incident = models.ForeignKey(
        "incidents.Incident", null=True, blank=True, on_delete=models.SET_NULL, related_name="notifications"
    )
    status = models.CharField(max_length=10, choices=NotificationStatus.choices, default=NotificationStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="notification_due_idx",
                condition=models.Q(status__in=["pending", "failed"]),
            ),
            # Inbound replies are matched to the notification they answer by its Message-ID.
            models.Index(KeyTextTransform("Message-ID", "headers"), name="notification_message_id_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.recipient} ({self.status})"


class NotificationAttempt(models.Model):
    """One try at delivering a notification, kept for the delivery log."""

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="attempt_log")
    at = models.DateTimeField(auto_now_add=True)
    success = models.BooleanField()
    error = models.TextField(blank=True)
    response_code = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["at"]

    def __str__(self) -> str:
        return f"{'ok' if self.success else 'failed'} at {self.at:%Y-%m-%d %H:%M:%S}"
