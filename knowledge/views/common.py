"""Helpers shared by the knowledge views."""

from __future__ import annotations

from functools import wraps

from django.http import Http404
from django.template import TemplateDoesNotExist
from django.template.loader import select_template
from django.utils.http import url_has_allowed_host_and_scheme

from knowledge import rights
from knowledge.models import Article

PORTAL_LAYOUT = "portal/base.html"


def agent_required(view):
    """Agents only; anyone else gets a 404, as if the page did not exist."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not rights.is_agent(request.user):
            raise Http404("No such page.")
        return view(request, *args, **kwargs)

    return wrapper


def layout(request) -> dict:
    """Requesters read articles in the portal layout once the portal provides it; agents in the agent layout."""
    if rights.is_agent(request.user):
        return {}
    try:
        select_template([PORTAL_LAYOUT])
    except TemplateDoesNotExist:
        return {}
    return {"portal_layout": PORTAL_LAYOUT}


def visible_article_or_404(user, slug: str) -> Article:
    article = rights.visible_articles(user).select_related("owner", "published_version").filter(slug=slug).first()
    if article is None:
        raise Http404("No such article.")
    return article


def safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback
