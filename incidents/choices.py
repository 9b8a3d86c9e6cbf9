"""Every enumerated value of the incidents app, in one place."""

from django.db import models


class State(models.TextChoices):
    NEW = "new", "New"
    IN_PROGRESS = "in_progress", "In progress"
    ON_HOLD = "on_hold", "On hold"
    RESOLVED = "resolved", "Resolved"
    CLOSED = "closed", "Closed"
    CANCELLED = "cancelled", "Cancelled"


OPEN_STATES = (State.NEW, State.IN_PROGRESS, State.ON_HOLD)
FINAL_STATES = (State.CLOSED, State.CANCELLED)


class OnHoldReason(models.TextChoices):
    AWAITING_CALLER = "awaiting_caller", "Awaiting caller"
    AWAITING_VENDOR = "awaiting_vendor", "Awaiting vendor"
    AWAITING_CHANGE = "awaiting_change", "Awaiting change"
    AWAITING_PROBLEM = "awaiting_problem", "Awaiting problem"


class Level(models.TextChoices):
    """Impact and urgency share one three-step scale."""

    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


class Priority(models.IntegerChoices):
    P1 = 1, "P1 - Critical"
    P2 = 2, "P2 - High"
    P3 = 3, "P3 - Moderate"
    P4 = 4, "P4 - Low"
    P5 = 5, "P5 - Planning"


class Channel(models.TextChoices):
    AGENT = "agent", "Agent"
    PORTAL = "portal", "Portal"
    EMAIL = "email", "Email"
    API = "api", "API"
    MONITORING = "monitoring", "Monitoring"


class ResolutionCode(models.TextChoices):
    FIXED = "fixed", "Fixed"
    WORKAROUND = "workaround", "Workaround provided"
    CONFIGURATION = "configuration", "Configuration changed"
    USER_ERROR = "user_error", "User error / advice given"
    NOT_REPRODUCIBLE = "not_reproducible", "Could not reproduce"
    DUPLICATE = "duplicate", "Duplicate"
    KNOWN_ERROR = "known_error", "Known error"
    RESOLVED_BY_CALLER = "resolved_by_caller", "Resolved by caller"
    VENDOR = "vendor", "Fixed by vendor"


class EntryKind(models.TextChoices):
    CREATED = "created", "Registered"
    FIELD_CHANGE = "field_change", "Field changed"
    STATE_CHANGE = "state_change", "State changed"
    ASSIGNMENT = "assignment", "Assignment"
    COMMENT = "comment", "Comment"
    WORK_NOTE = "work_note", "Work note"
    ESCALATION = "escalation", "Escalation"
    LINK = "link", "Link"
    WATCHER = "watcher", "Watcher"
    ATTACHMENT = "attachment", "Attachment"
    SLA_EVENT = "sla_event", "SLA event"
    ALERT = "alert", "Monitoring alert"
    KNOWLEDGE = "knowledge", "Knowledge"
    RATING = "rating", "Satisfaction rating"


class NotificationChannel(models.TextChoices):
    EMAIL = "email", "Email"
    WEBHOOK = "webhook", "Webhook"


class NotificationStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed (will retry)"
    DEAD = "dead", "Gave up"


class Role(models.TextChoices):
    REQUESTER = "requester", "Requester"
    AGENT = "agent", "Agent"
    MANAGER = "manager", "Manager"
    ADMIN = "admin", "Admin"
