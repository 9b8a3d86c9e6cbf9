from incidents.models.catalog import Category, ConfigurationItem, Organization, PriorityRule, Service, Team
from incidents.models.incident import Attachment, Incident, IncidentRating, TimelineEntry
from incidents.models.outbox import Notification, NotificationAttempt
from incidents.models.people import User

__all__ = [
    "Attachment",
    "Category",
    "ConfigurationItem",
    "Incident",
    "IncidentRating",
    "Notification",
    "NotificationAttempt",
    "Organization",
    "PriorityRule",
    "Service",
    "Team",
    "TimelineEntry",
    "User",
]
