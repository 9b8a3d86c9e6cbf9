"""Bearer API tokens for integrations, and the read/write scope every endpoint honours."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions

from incidents.integrations.models import ApiToken, TokenScope
from incidents.integrations.tokens import token_authenticate

REALM = 'Bearer realm="api"'


class BearerTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer itsm_...`; request.auth becomes the ApiToken."""

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != b"bearer":
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("The Authorization header must be 'Bearer <token>'.")
        try:
            secret = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("The token contains characters a token never has.") from None
        token = token_authenticate(secret)
        if token is None:
            raise exceptions.AuthenticationFailed("The token is unknown, revoked or expired.")
        return token.user, token

    def authenticate_header(self, request) -> str:
        return REALM


class TokenScopePermission(permissions.BasePermission):
    """A read token may only read; session users and write tokens are limited by their role alone."""

    message = "This API token is read-only; create a token with the write scope to make changes."

    def has_permission(self, request, view) -> bool:
        token = request.auth
        if isinstance(token, ApiToken) and token.scope != TokenScope.WRITE:
            return request.method in permissions.SAFE_METHODS
        return True


def uses_token(request) -> bool:
    return isinstance(getattr(request, "auth", None), ApiToken)


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "incidents.api.auth.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An API token (itsm_...) created on /account/tokens/ or with manage.py create_api_token.",
        }
