"""Post-incident review pages: list and search, create for a major incident, edit, timeline, actions, export."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from incidents.models import Incident
from incidents.permissions import can_publish_review, can_write_review
from reporting import review_export, reviews
from reporting.forms import ActionForm, NoteForm, ReviewForm
from reporting.models import ActionItem, PostIncidentReview
from reporting.models.reviews import ReviewState


def agent_required(view):
    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not can_write_review(request.user):
            raise PermissionDenied("Post-incident reviews are for agents.")
        return view(request, *args, **kwargs)

    return wrapper


def _fail(request, error: reviews.ReviewError) -> None:
    if error.forbidden:
        raise PermissionDenied(error.message)
    messages.error(request, error.message)


@agent_required
def review_list(request):
    q = request.GET.get("q", "")
    state = request.GET.get("state", "")
    qs = PostIncidentReview.objects.select_related("incident", "created_by").order_by("-created_at")
    qs = reviews.search(qs, q)
    if state in ReviewState.values:
        qs = qs.filter(state=state)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    today = timezone.localdate()
    overdue = {
        row["review_id"]: row["n"]
        for row in ActionItem.objects.filter(review__in=[r.pk for r in page], done_at=None, due_date__lt=today)
        .values("review_id")
        .order_by()
        .annotate(n=Count("id"))
    }
    waiting = (
        Incident.objects.filter(is_major=True, review__isnull=True)
        .order_by("-created_at")
        .only("number", "short_description")[:20]
    )
    return render(
        request,
        "reporting/review_list.html",
        {
            "page_obj": page,
            "q": q,
            "state": state,
            "states": ReviewState.choices,
            "overdue": overdue,
            "waiting": waiting,
            "page": "reviews",
        },
    )


@agent_required
def review_create(request):
    if request.method != "POST":
        return redirect("reporting:reviews")
    number = (request.POST.get("incident") or "").strip().upper()
    incident = Incident.objects.filter(number=number).first()
    if incident is None:
        messages.error(request, f"No incident {number or 'given'}.")
        return redirect("reporting:reviews")
    try:
        review = reviews.review_create(incident=incident, actor=request.user)
    except reviews.ReviewError as error:
        _fail(request, error)
        existing = PostIncidentReview.objects.filter(incident=incident).first()
        return redirect(existing.get_absolute_url() if existing else "reporting:reviews")
    messages.success(request, "Review started. Mark the key moments in the timeline and add the analysis.")
    return redirect(review.get_absolute_url())


def _review(pk: int) -> PostIncidentReview:
    return get_object_or_404(PostIncidentReview.objects.select_related("incident", "created_by", "published_by"), pk=pk)


@agent_required
def review_detail(request, pk: int):
    review = _review(pk)
    only = request.GET.get("highlights") == "1"
    today = timezone.localdate()
    actions = list(review.actions.select_related("owner"))
    for action in actions:
        action.overdue = action.is_overdue(today)
    editable = review.state != ReviewState.PUBLISHED
    return render(
        request,
        "reporting/review_detail.html",
        {
            "review": review,
            "impact": reviews.current_impact(review),
            "timeline": reviews.timeline(review, highlights_only=only),
            "highlights_only": only,
            "actions": actions,
            "editable": editable,
            "can_publish": can_publish_review(request.user),
            "note_form": NoteForm(),
            "action_form": ActionForm(),
            "page": "reviews",
        },
    )


@agent_required
def review_edit(request, pk: int):
    review = _review(pk)
    if review.state == ReviewState.PUBLISHED:
        messages.error(request, "This review is published; a manager can take it back to draft to change it.")
        return redirect(review.get_absolute_url())
    form = ReviewForm(request.POST or None, instance=review)
    if request.method == "POST" and form.is_valid():
        try:
            reviews.review_update(
                review=review, actor=request.user, changes={name: form.cleaned_data[name] for name in form.fields}
            )
        except reviews.ReviewError as error:
            _fail(request, error)
        else:
            messages.success(request, "Review saved.")
            return redirect(review.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return render(
        request, "reporting/review_edit.html", {"review": review, "form": form, "page": "reviews"}, status=status
    )


@agent_required
@require_POST
def review_state(request, pk: int):
    review = _review(pk)
    try:
        reviews.review_transition(review=review, actor=request.user, to_state=request.POST.get("to_state", ""))
    except reviews.ReviewError as error:
        _fail(request, error)
    return redirect(review.get_absolute_url())


@agent_required
@require_POST
def review_highlight(request, pk: int):
    review = _review(pk)
    try:
        entry_id = int(request.POST.get("entry", ""))
        reviews.review_toggle_highlight(
            review=review, actor=request.user, entry_id=entry_id, note=request.POST.get("note", "")
        )
    except ValueError:
        messages.error(request, "Choose a timeline entry.")
    except reviews.ReviewError as error:
        _fail(request, error)
    return redirect(f"{review.get_absolute_url()}#timeline")


def _add_from_form(request, pk: int, form_class, add, anchor: str):
    """Validates a small form posted on the review page and hands it to a review service; errors become messages."""
    review = _review(pk)
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items()))
    else:
        try:
            add(review=review, actor=request.user, **form.cleaned_data)
        except reviews.ReviewError as error:
            _fail(request, error)
    return redirect(f"{review.get_absolute_url()}#{anchor}")


@agent_required
@require_POST
def review_note(request, pk: int):
    return _add_from_form(request, pk, NoteForm, reviews.review_add_note, "timeline")


@agent_required
@require_POST
def review_action(request, pk: int):
    return _add_from_form(request, pk, ActionForm, reviews.review_add_action, "actions")


@agent_required
@require_POST
def review_action_done(request, pk: int, action_id: int):
    review = _review(pk)
    action = get_object_or_404(ActionItem, pk=action_id, review=review)
    reviews.action_set_done(action=action, actor=request.user, done=request.POST.get("done", "1") == "1")
    return redirect(f"{review.get_absolute_url()}#actions")


@agent_required
def review_markdown(request, pk: int):
    review = _review(pk)
    response = HttpResponse(review_export.to_markdown(review), content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="review-{review.incident.number}.md"'
    return response
