"""Template helpers for the portal pages and the requester emails."""

from __future__ import annotations

from urllib.parse import urlencode

from django import template
from django.urls import reverse

from incidents.portal import queries, rating

register = template.Library()


@register.filter
def plain_state(incident) -> str:
    return queries.plain_state(incident)


@register.filter
def working_on_it(incident) -> str:
    return queries.working_on_it(incident)


@register.simple_tag
def rating_link(incident, recipient, score=None) -> str:
    """A signed one-click rating link for the resolution email."""
    return rating.rating_url(incident, recipient, score)


@register.simple_tag
def tracked_url(token, target) -> str:
    """A link that records "suggestion opened" for the report form's session on its way to `target`."""
    if not token:
        return target
    if target.startswith("/portal/status/"):
        # The outage page keeps the session, so "this affects me too" there settles the same report form.
        target = f"{target}?{urlencode({'s': token})}"
    return f"{reverse('portal:suggestion-open')}?{urlencode({'s': token, 'to': target})}"
