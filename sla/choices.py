"""Every enumerated value of the SLA app, in one place."""

from django.db import models


class Metric(models.TextChoices):
    RESPONSE = "response", "Response"
    RESOLUTION = "resolution", "Resolution"
    OLA = "ola", "OLA (time with one team)"


class TimerState(models.TextChoices):
    RUNNING = "running", "Running"
    PAUSED = "paused", "Paused"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"


class EventKind(models.TextChoices):
    WARNING = "warning", "Warning"
    BREACH = "breach", "Breach"


ACTIVE_STATES = (TimerState.RUNNING, TimerState.PAUSED)
DEFAULT_THRESHOLDS = (50, 75, 90)
DEFAULT_PAUSE_REASONS = ("awaiting_caller",)
BREACH_PERCENT = 100
