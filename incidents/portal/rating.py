"""Signed one-click rating links, so the resolution email can be answered without signing in."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.core import signing

from incidents.models import Incident, User

SALT = "incidents.portal.rate"
SCORES = [
    (5, "Excellent"),
    (4, "Good"),
    (3, "OK"),
    (2, "Poor"),
    (1, "Very poor"),
]


def rating_token(incident: Incident, user: User) -> str:
    return signing.dumps({"i": incident.pk, "u": user.pk}, salt=SALT)


def rating_url(incident: Incident, user: User | None, score: int | None = None) -> str:
    """The absolute link to rate `incident`; signed for `user` when given."""
    params = {}
    if user is not None and user.pk:
        params["t"] = rating_token(incident, user)
    if score is not None:
        params["score"] = score
    query = f"?{urlencode(params)}" if params else ""
    return f"{settings.SITE_URL}/portal/incidents/{incident.number}/rate/{query}"


def user_from_token(token: str | None, incident: Incident) -> User | None:
    """The person a rating link was made for, if the link is genuine, unexpired and for this incident."""
    if not token:
        return None
    max_age = settings.PORTAL_RATING_LINK_MAX_AGE_DAYS * 24 * 3600
    try:
        data = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("i") != incident.pk:
        return None
    return User.objects.filter(pk=data.get("u"), is_active=True).first()
