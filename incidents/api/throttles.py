"""Rate limits per API token, per signed-in user and per address, with rates from settings."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.cache import caches
from rest_framework import throttling

from incidents.api.auth import uses_token

log = logging.getLogger(__name__)


class _SharedCacheThrottle(throttling.SimpleRateThrottle):
    """Counts in the shared throttle cache; when that cache is down, requests pass rather than fail."""

    def __init__(self):
        self.cache = caches[settings.API_THROTTLE_CACHE]
        super().__init__()

    def get_rate(self):
        # Read at each request (not at import), so settings changes apply without a restart of the class.
        return getattr(settings, f"API_THROTTLE_{self.scope.upper()}", None)

    def allow_request(self, request, view):
        if not settings.API_THROTTLE_ENABLED:
            return True
        try:
            return super().allow_request(request, view)
        except Exception:  # noqa: BLE001
            log.warning("api: throttle cache unavailable, request allowed")
            return True


class TokenRateThrottle(_SharedCacheThrottle):
    scope = "token"

    def get_cache_key(self, request, view):
        if not uses_token(request):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


class UserRateThrottle(_SharedCacheThrottle):
    """Signed-in browser sessions (token requests are counted by their token)."""

    scope = "user"

    def get_cache_key(self, request, view):
        if uses_token(request) or not (request.user and request.user.is_authenticated):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


class AnonRateThrottle(_SharedCacheThrottle):
    scope = "anon"

    def get_cache_key(self, request, view):
        if request.user and request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
