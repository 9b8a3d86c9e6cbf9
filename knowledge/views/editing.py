"""Writing and review: the editor with live preview, submit, publish or send back, retire, confirm, the queue."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from incidents.models import Incident
from knowledge import lifecycle, rights, selectors
from knowledge.errors import KnowledgeError
from knowledge.forms import ArticleForm, CommentForm, ReviewForm
from knowledge.models import Article
from knowledge.rendering import render_markdown
from knowledge.views.common import agent_required, visible_article_or_404

MAX_PREVIEW = 200_000


def _initial_from_incident(request, number: str) -> tuple[dict, Incident]:
    incident = Incident.objects.select_related("service", "category").filter(number=number.strip().upper()).first()
    if incident is None:
        raise Http404("No such incident.")
    steps = incident.resolution_notes.strip() or "Describe the fix here."
    body = (
        f"## Symptoms\n\n{incident.description.strip() or incident.short_description}\n\n"
        f"## Resolution\n\n{steps}\n\n_Written from {incident.number}._\n"
    )
    initial = {
        "title": incident.short_description,
        "summary": (incident.resolution_notes.strip().splitlines() or [incident.short_description])[0][:1000],
        "body": body,
        "services": [incident.service_id] if incident.service_id else [],
        "categories": [incident.category_id] if incident.category_id else [],
        "owner": request.user.pk,
        "change_note": f"From the resolution of {incident.number}",
    }
    return initial, incident


def _form_error(form: ArticleForm, exc: KnowledgeError) -> None:
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)


def _after_save(request, article: Article, action: str) -> None:
    """Save draft, submit for review, or (reviewers) publish straight away."""
    if action in {"submit", "publish"}:
        lifecycle.article_submit(actor=request.user, article=article)
    if action == "publish":
        lifecycle.article_publish(actor=request.user, article=article, comment="Published from the editor.")


def _done_message(request, action: str) -> None:
    text = {"submit": "Sent for review.", "publish": "Published."}.get(action, "Draft saved.")
    messages.success(request, text)


@agent_required
def article_new(request):
    initial, incident = {}, None
    if request.GET.get("from_incident"):
        initial, incident = _initial_from_incident(request, request.GET["from_incident"])
    form = ArticleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        action = request.POST.get("action", "save")
        source = Incident.objects.filter(number=request.POST.get("from_incident", "")).first()
        try:
            if action == "publish" and not rights.can_publish(request.user):
                raise KnowledgeError("Only knowledge reviewers and managers publish articles.")
            with transaction.atomic():
                article = lifecycle.article_create(
                    actor=request.user,
                    title=data["title"],
                    summary=data["summary"],
                    body=data["body"],
                    keywords=data["keywords"],
                    audience=data["audience"],
                    services=data["services"],
                    categories=data["categories"],
                    owner=data["owner"],
                    source_incident=source,
                    change_note=data["change_note"],
                )
                _after_save(request, article, action)
        except KnowledgeError as exc:
            _form_error(form, exc)
        else:
            _done_message(request, action)
            return redirect(article.get_absolute_url())
    return render(
        request,
        "knowledge/editor.html",
        {"form": form, "incident": incident, "can_publish": rights.can_publish(request.user), "article": None},
    )


@agent_required
def article_edit(request, slug: str):
    article = visible_article_or_404(request.user, slug)
    working = article.versions.working().first()
    source = working or article
    initial = {
        "title": source.title,
        "summary": source.summary,
        "body": source.body,
        "keywords": source.keywords,
        "audience": source.audience,
        "services": working.service_ids if working else list(article.services.values_list("pk", flat=True)),
        "categories": working.category_ids if working else list(article.categories.values_list("pk", flat=True)),
        "owner": article.owner_id,
        "change_note": working.change_note if working else "",
    }
    form = ArticleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        action = request.POST.get("action", "save")
        try:
            if action == "publish" and not rights.can_publish(request.user):
                raise KnowledgeError("Only knowledge reviewers and managers publish articles.")
            with transaction.atomic():
                lifecycle.article_edit(
                    actor=request.user,
                    article=article,
                    title=data["title"],
                    summary=data["summary"],
                    body=data["body"],
                    keywords=data["keywords"],
                    audience=data["audience"],
                    services=data["services"],
                    categories=data["categories"],
                    owner=data["owner"],
                    change_note=data["change_note"],
                )
                _after_save(request, article, action)
        except KnowledgeError as exc:
            _form_error(form, exc)
        else:
            _done_message(request, action)
            return redirect(article.get_absolute_url())
    return render(
        request,
        "knowledge/editor.html",
        {
            "form": form,
            "article": article,
            "working": working,
            "can_publish": rights.can_publish(request.user, article),
        },
    )


@agent_required
@require_POST
def preview(request):
    """The editor's live preview: the body rendered and sanitised exactly as the article page will show it."""
    return render(
        request, "knowledge/_preview.html", {"body_html": render_markdown(request.POST.get("body", "")[:MAX_PREVIEW])}
    )


def _act(request, slug: str, action, done: str):
    """Runs one lifecycle action from a POST, with the outcome as a flash message, then back to the article."""
    article = visible_article_or_404(request.user, slug)
    try:
        action(article)
    except KnowledgeError as exc:
        if exc.code == "forbidden":
            raise PermissionDenied(exc.message) from None
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return article


@agent_required
@require_POST
def article_submit(request, slug: str):
    article = _act(request, slug, lambda a: lifecycle.article_submit(actor=request.user, article=a), "Sent for review.")
    return redirect(article.get_absolute_url())


@agent_required
@require_POST
def article_review(request, slug: str):
    form = ReviewForm(request.POST)
    if not rights.is_reviewer(request.user):
        raise PermissionDenied("Only knowledge reviewers and managers review articles.")
    if not form.is_valid():
        article = visible_article_or_404(request.user, slug)
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect(article.get_absolute_url())
    comment = form.cleaned_data["comment"]
    if form.cleaned_data["decision"] == "approve":
        article = _act(
            request,
            slug,
            lambda a: lifecycle.article_publish(actor=request.user, article=a, comment=comment),
            "Published.",
        )
    else:
        article = _act(
            request,
            slug,
            lambda a: lifecycle.article_reject(actor=request.user, article=a, comment=comment),
            "Sent back to the author.",
        )
    return redirect("/knowledge/review/" if request.POST.get("next") == "queue" else article.get_absolute_url())


@agent_required
@require_POST
def article_retire(request, slug: str):
    comment = CommentForm(request.POST).data.get("comment", "")[:4000]
    article = _act(
        request, slug, lambda a: lifecycle.article_retire(actor=request.user, article=a, comment=comment), "Retired."
    )
    return redirect(article.get_absolute_url())


@agent_required
@require_POST
def article_confirm(request, slug: str):
    comment = request.POST.get("comment", "")[:4000]
    article = _act(
        request,
        slug,
        lambda a: lifecycle.article_confirm_review(actor=request.user, article=a, comment=comment),
        "Confirmed: next review date set.",
    )
    return redirect(article.get_absolute_url())


@agent_required
@require_POST
def article_discard(request, slug: str):
    article = _act(
        request, slug, lambda a: lifecycle.article_discard_draft(actor=request.user, article=a), "Draft discarded."
    )
    return redirect(article.get_absolute_url())


@agent_required
@require_POST
def article_delete(request, slug: str):
    article = visible_article_or_404(request.user, slug)
    try:
        lifecycle.article_delete(actor=request.user, article=article)
    except KnowledgeError as exc:
        raise PermissionDenied(exc.message) from None
    messages.success(request, f"Deleted “{article.title}”.")
    return redirect("/knowledge/")


@agent_required
def review_queue(request):
    if not rights.is_reviewer(request.user):
        raise PermissionDenied("Only knowledge reviewers and managers review articles.")
    return render(request, "knowledge/review_queue.html", {"versions": selectors.review_queue()})
