"""Enumerated values of the portal."""

from django.db import models


class SessionOutcome(models.TextChoices):
    OPEN = "open", "Still open"
    SUBMITTED = "submitted", "Reported from this form"
    JOINED_MAJOR = "joined_major", "Joined a known outage"
    REPORTED_ELSEWHERE = "reported_elsewhere", "Reported another way within the window"
    DEFLECTED = "deflected", "Deflected"


class SuggestionKind(models.TextChoices):
    ARTICLE = "article", "Knowledge article"
    OUTAGE = "outage", "Known outage"
