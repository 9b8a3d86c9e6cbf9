"""API tokens: issue (the secret is shown once), authenticate by hash, record last use cheaply, revoke."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from incidents.errors import IncidentError
from incidents.integrations.models import ApiToken, TokenScope
from incidents.models import User

TOKEN_PREFIX = "itsm_"
MAX_EXPIRY_DAYS = 3650


@dataclass(frozen=True)
class IssuedToken:
    """A new token and its secret, which exists only here: the database keeps its hash."""

    token: ApiToken
    secret: str


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def token_issue(*, user: User, name: str, scope: str = TokenScope.READ, expires_days: int | None = None) -> IssuedToken:
    """Creates a token for `user`: `itsm_<8 visible chars>_<43 random chars>` (256 bits of entropy)."""
    name = (name or "").strip()
    if not name:
        raise IncidentError("Name the token after what will use it.", field="name")
    if len(name) > 100:
        raise IncidentError("Keep the name under 100 characters.", field="name")
    if scope not in TokenScope.values:
        raise IncidentError("Choose read or write.", field="scope")
    if expires_days is not None and not 1 <= expires_days <= MAX_EXPIRY_DAYS:
        raise IncidentError(f"Expiry goes from 1 to {MAX_EXPIRY_DAYS} days.", field="expires_days")
    if not user.is_active:
        raise IncidentError(f"{user.username} is not active.", field="user")
    visible = secrets.token_hex(4)
    secret = f"{TOKEN_PREFIX}{visible}_{secrets.token_urlsafe(32)}"
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=f"{TOKEN_PREFIX}{visible}",
        token_hash=hash_secret(secret),
        scope=scope,
        created_at=now,
        expires_at=now + timedelta(days=expires_days) if expires_days else None,
    )
    return IssuedToken(token=token, secret=secret)


def token_authenticate(secret: str, *, now: datetime | None = None) -> ApiToken | None:
    """The usable token with this secret (its user loaded), or None; records the use at most once a minute."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    now = now or timezone.now()
    token = ApiToken.objects.select_related("user").filter(token_hash=hash_secret(secret)).first()
    if token is None or token.revoked_at is not None or (token.expires_at and token.expires_at <= now):
        return None
    if not token.user.is_active:
        return None
    touch_after = now - timedelta(seconds=settings.API_TOKEN_TOUCH_SECONDS)
    if token.last_used_at is None or token.last_used_at < touch_after:
        # A conditional update: concurrent requests write at most one row version per minute.
        ApiToken.objects.filter(pk=token.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lt=touch_after)
        ).update(last_used_at=now)
        token.last_used_at = now
    return token


def token_revoke(*, token: ApiToken, actor: User) -> ApiToken:
    """Revokes a token (its owner or an admin); it stops working at once and stays listed for the record."""
    from incidents.permissions import is_admin

    if token.user_id != actor.pk and not is_admin(actor):
        raise IncidentError("You can only revoke your own tokens.", code="forbidden")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token
