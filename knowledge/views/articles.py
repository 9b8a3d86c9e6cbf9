"""Reading: the knowledge home with search and browsing, article pages, history and diffs, feedback."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from incidents.models import Category, Service
from knowledge import lifecycle, rights, search, selectors
from knowledge.choices import ArticleState
from knowledge.diff import diff_versions
from knowledge.errors import KnowledgeError
from knowledge.forms import FeedbackForm, SearchForm
from knowledge.models import ArticleVersion
from knowledge.rendering import render_markdown
from knowledge.views.common import agent_required, layout, visible_article_or_404


@login_required
def home(request):
    """Search and browse; agents also see their own work, stale articles and the review queue size."""
    form = SearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    is_agent = rights.is_agent(request.user)
    filters = {
        "service": data["service"].pk if data.get("service") else None,
        "category": data["category"].pk if data.get("category") else None,
        "audience": data.get("audience") if is_agent else None,
        "state": data.get("state") if is_agent else None,
    }
    page = data.get("page") or 1
    size = settings.KNOWLEDGE_SEARCH_PAGE_SIZE
    context = {"form": form, "query": data.get("q", ""), "page": page, "filters": filters, **layout(request)}
    queryset = selectors.filtered_articles(request.user, **filters)
    if data.get("q"):
        context["results"] = search.search(data["q"], queryset, limit=size, offset=(page - 1) * size)
        context["start"] = (page - 1) * size + 1
    elif any(filters.values()):
        rows = list(selectors.listing(queryset).order_by("-updated_at", "-id")[(page - 1) * size : page * size + 1])
        context["listing"] = rows[:size]
        context["has_more"] = len(rows) > size
        context["filter_service"] = data.get("service")
        context["filter_category"] = data.get("category")
    else:
        context["recent"] = selectors.recently_updated(request.user)
        context["helpful"] = selectors.most_helpful(request.user)
        context["services"], context["categories"] = selectors.browse_counts(request.user)
        if is_agent:
            context["mine"] = selectors.owned_articles(request.user, limit=10)
            context["stale"] = selectors.stale_articles(request.user, limit=10)
            context["queue_size"] = len(selectors.review_queue()) if rights.is_reviewer(request.user) else None
    return render(request, "knowledge/home.html", context)


@login_required
def article_detail(request, slug: str):
    article = visible_article_or_404(request.user, slug)
    user = request.user
    if article.state == ArticleState.PUBLISHED:
        lifecycle.article_record_view(article.pk)
    context = {
        "article": article,
        "body_html": render_markdown(article.body),
        "services": list(article.services.all()),
        "categories": list(article.categories.select_related("parent")),
        "feedback_form": FeedbackForm(),
        "my_feedback": article.feedback.filter(user=user).first() if article.is_published else None,
        **layout(request),
    }
    if rights.is_agent(user):
        context.update(
            {
                "working": article.versions.working().select_related("author").first(),
                "reviews": list(article.reviews.select_related("reviewer", "version")[:5]),
                "links": list(article.incident_links.select_related("incident")[:5]),
                "stale": article.is_stale(),
                "can_publish": rights.can_publish(user, article),
                "can_confirm": rights.can_confirm_review(user, article),
                "can_delete": rights.can_delete_article(user, article),
                "can_see_feedback": rights.can_see_feedback(user, article),
            }
        )
        if context["can_see_feedback"]:
            context["feedback"] = list(article.feedback.select_related("user").exclude(comment="")[:20])
    return render(request, "knowledge/article.html", context)


@login_required
@require_POST
def article_feedback(request, slug: str):
    article = visible_article_or_404(request.user, slug)
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose whether the article helped.")
        return redirect(article.get_absolute_url())
    try:
        lifecycle.article_feedback(
            actor=request.user,
            article=article,
            helpful=form.cleaned_data["helpful"],
            comment=form.cleaned_data["comment"],
        )
    except KnowledgeError as exc:
        if exc.code == "not_found":
            raise Http404(exc.message) from None
        messages.error(request, exc.message)
        return redirect(article.get_absolute_url())
    messages.success(request, "Thanks for your feedback.")
    return redirect(f"{article.get_absolute_url()}#feedback")


def _names() -> dict[str, dict[int, str]]:
    return {
        "service_ids": dict(Service.objects.values_list("pk", "name")),
        "category_ids": {c.pk: str(c) for c in Category.objects.select_related("parent")},
    }


@agent_required
def article_history(request, slug: str):
    article = visible_article_or_404(request.user, slug)
    versions = list(article.versions.select_related("author", "published_by").defer("body").order_by("-number"))
    return render(
        request,
        "knowledge/history.html",
        {
            "article": article,
            "versions": versions,
            "reviews": list(article.reviews.select_related("reviewer", "version")),
        },
    )


@agent_required
def article_version(request, slug: str, number: int):
    article = visible_article_or_404(request.user, slug)
    version = get_object_or_404(
        ArticleVersion.objects.select_related("author", "published_by"), article=article, number=number
    )
    return render(
        request,
        "knowledge/version.html",
        {"article": article, "version": version, "body_html": render_markdown(version.body)},
    )


@agent_required
def article_diff(request, slug: str):
    """Side-by-side differences of any two versions (?a=<number>&b=<number>); default: the latest change."""
    article = visible_article_or_404(request.user, slug)
    versions = list(article.versions.order_by("number"))
    if len(versions) < 2:
        messages.info(request, "There is only one version so far.")
        return redirect(f"{article.get_absolute_url()}history/")
    by_number = {v.number: v for v in versions}
    try:
        a = by_number[int(request.GET.get("a") or versions[-2].number)]
        b = by_number[int(request.GET.get("b") or versions[-1].number)]
    except (KeyError, ValueError):
        raise Http404("No such version.") from None
    return render(
        request,
        "knowledge/diff.html",
        {"article": article, "a": a, "b": b, "versions": versions, "fields": diff_versions(a, b, names=_names())},
    )
