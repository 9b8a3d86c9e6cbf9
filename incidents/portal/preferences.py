"""Which emails a person gets: the portal's preference form and the recipient filter notify asks."""

from __future__ import annotations

from incidents.models import User
from incidents.portal.models import NotificationPreference

# Notification kind -> the preference that governs it. Kinds not listed (assignment, escalation, mentions) are the
# desk's own working mail and are never filtered here.
KIND_PREFERENCE = {
    "created": "confirmations",
    "comment": "replies",
    "caller_replied": "replies",
    "state_changed": "status_changes",
    "reopened": "status_changes",
    "resolved": "solved",
}
PREFERENCE_FIELDS = ("confirmations", "replies", "status_changes", "solved")
PREFERENCE_HELP = {
    "confirmations": "A confirmation with your reference number when you report a problem.",
    "replies": "When the service desk, or someone on a problem you follow, writes something.",
    "status_changes": "When we start waiting for something, pick your problem up again, or cancel it.",
    "solved": "When we think your problem is fixed, with a link to tell us how we did.",
}


def recipient_filter(user: User, kind: str) -> bool:
    """False when `user` switched off the emails of this kind (registered with notify.add_recipient_filter)."""
    field = KIND_PREFERENCE.get(kind)
    if field is None:
        return True
    value = NotificationPreference.objects.filter(user_id=user.pk).values_list(field, flat=True).first()
    return True if value is None else bool(value)


def preferences_of(user: User) -> dict[str, bool]:
    """The user's current choices (every email on when they never chose)."""
    row = NotificationPreference.objects.filter(user_id=user.pk).values(*PREFERENCE_FIELDS).first()
    return row or dict.fromkeys(PREFERENCE_FIELDS, True)


def preferences_save(*, user: User, values: dict[str, bool]) -> NotificationPreference:
    """Stores the user's choices; unknown keys are ignored, missing ones count as off (an unticked box)."""
    defaults = {field: bool(values.get(field, False)) for field in PREFERENCE_FIELDS}
    preference, _ = NotificationPreference.objects.update_or_create(user=user, defaults=defaults)
    return preference
