"""Enumerated values of the email channel."""

from django.db import models


class Source(models.TextChoices):
    IMAP = "imap", "IMAP mailbox"
    PIPE = "pipe", "Mail server pipe (ingest_email)"
    ADMIN = "admin", "Processed again from the admin"


class Outcome(models.TextChoices):
    CREATED = "created", "Opened an incident"
    COMMENTED = "commented", "Added a comment"
    IGNORED = "ignored", "Ignored (automatic mail)"
    REJECTED = "rejected", "Rejected"


class RejectReason(models.TextChoices):
    UNKNOWN_SENDER = "unknown_sender", "Unknown sender"
    INACTIVE_SENDER = "inactive_sender", "Sender's account is disabled"
    NO_SENDER = "no_sender", "No usable sender address"
    NOT_ALLOWED = "not_allowed", "Sender may not write on that incident"
    EMPTY = "empty", "Nothing to add"
    TOO_LARGE = "too_large", "Message too large"
    UNPARSEABLE = "unparseable", "Could not be parsed"
    REFUSED = "refused", "Refused by the incident rules"
    ERROR = "error", "Failed while processing"
