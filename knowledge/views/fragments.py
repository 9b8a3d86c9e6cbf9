"""HTML fragments other areas embed: the agent suggestions panel and the portal's suggestions as the user types."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from incidents.models import Incident
from incidents.permissions import visible_incidents
from knowledge import lifecycle, rights, search, selectors
from knowledge.choices import ArticleState, Audience
from knowledge.errors import KnowledgeError
from knowledge.models import Article
from knowledge.views.common import agent_required, safe_next

MAX_TEXT = 2000


def _typed_text(request) -> tuple[str, str]:
    """The words typed so far: `q`, or the registration form's short_description and description."""
    short = (request.GET.get("q") or request.GET.get("short_description") or "")[:MAX_TEXT]
    description = (request.GET.get("description") or "")[:MAX_TEXT]
    return short, description


def _incident(user, number: str) -> Incident:
    incident = visible_incidents(user).filter(number=number.strip().upper()).first()
    if incident is None:
        raise Http404("No such incident.")
    return incident


def _panel(request, *, incident: Incident | None, short: str, description: str, error: str = ""):
    limit = settings.KNOWLEDGE_SUGGESTIONS
    if incident is not None:
        results = selectors.suggestions_for_incident(request.user, incident, limit=limit)
        linked = selectors.linked_article_ids(incident)
    elif short or description:
        results = search.suggest(short, description, selectors.filtered_articles(request.user), limit=limit)
        linked = set()
    else:
        results, linked = search.Results(hits=[]), set()
    return render(
        request,
        "knowledge/_panel.html",
        {
            "incident": incident,
            "results": results,
            "linked": linked,
            "typed": bool(short or description),
            "error": error,
            "can_write": rights.can_create_article(request.user),
        },
    )


@agent_required
@require_GET
def panel(request):
    """Suggestions for an incident (?incident=INC...) or for what the agent is typing (?q= or the form's fields)."""
    number = request.GET.get("incident", "").strip()
    incident = _incident(request.user, number) if number else None
    short, description = _typed_text(request)
    return _panel(request, incident=incident, short=short, description=description)


@agent_required
@require_POST
def solved(request, pk: int):
    """“This article solved it”: links the article to the incident; answers with the refreshed panel for htmx."""
    article = Article.objects.filter(pk=pk, state=ArticleState.PUBLISHED).first()
    if article is None:
        raise Http404("No such article.")
    incident = _incident(request.user, request.POST.get("incident", ""))
    error = ""
    try:
        lifecycle.article_link_incident(actor=request.user, article=article, incident=incident)
    except KnowledgeError as exc:
        error = exc.message
    if request.headers.get("HX-Request"):
        return _panel(request, incident=incident, short="", description="", error=error)
    return redirect(safe_next(request, incident.get_absolute_url()))


@login_required
@require_GET
def suggest(request):
    """The portal's suggestions as a requester describes their problem: published public articles only."""
    short, description = _typed_text(request)
    results = search.Results(hits=[])
    if short or description:
        queryset = rights.visible_articles(request.user).filter(state=ArticleState.PUBLISHED, audience=Audience.PUBLIC)
        results = search.suggest(short, description, queryset, limit=settings.KNOWLEDGE_SUGGESTIONS)
    return render(request, "knowledge/_suggest.html", {"results": results, "typed": bool(short or description)})
