"""A manager's subscription to a weekly or monthly summary by email."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Frequency(models.TextChoices):
    WEEKLY = "weekly", "Weekly (Monday to Sunday)"
    MONTHLY = "monthly", "Monthly"


class ReportSubscription(models.Model):
    """Sends the summary of each finished week or month, once, through the outbox."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_subscriptions")
    frequency = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.WEEKLY)
    team = models.ForeignKey("incidents.Team", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    service = models.ForeignKey("incidents.Service", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    priority = models.PositiveSmallIntegerField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_period_start = models.DateField(null=True, blank=True, help_text="Start of the last period queued.")

    class Meta:
        ordering = ["user", "frequency", "id"]

    def __str__(self) -> str:
        return f"{self.get_frequency_display()} summary for {self.user}"
