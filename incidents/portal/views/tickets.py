"""A requester's tickets: the lists, one ticket's public page, and what they can do on it."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from incidents import lifecycle
from incidents.choices import State
from incidents.errors import IncidentError
from incidents.models import IncidentRating
from incidents.permissions import can_act_as_caller, can_cancel_as_caller, can_comment, is_agent, visible_incidents
from incidents.portal import actions, queries, rating
from incidents.portal.forms import CancelForm, CommentForm, RatingForm, ReopenForm
from incidents.portal.presenter import present

PAGE_SIZE = 25


@login_required
@require_GET
def ticket_list(request):
    closed = request.GET.get("show") == "closed"
    paginator = Paginator(queries.ticket_list(request.user, closed=closed), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "portal/tickets.html", {"page": page, "closed": closed, "nav": "tickets"})


def _detail_context(request, incident, **forms) -> dict:
    user = request.user
    attachments = queries.public_attachments(incident)
    items = present(queries.public_timeline(incident), incident=incident, viewer=user, attachments=attachments)
    acts_as_caller = can_act_as_caller(user, incident)
    reopen_until = None
    if incident.state == State.RESOLVED and incident.resolved_at:
        reopen_until = incident.resolved_at + timedelta(days=settings.INCIDENT_AUTO_CLOSE_DAYS)
    return {
        "incident": incident,
        "items": items,
        "attachments": list(attachments.values()),
        "can_reply": incident.state not in (State.CLOSED, State.CANCELLED) and can_comment(user, incident),
        "can_cancel": can_cancel_as_caller(user, incident),
        "can_confirm": acts_as_caller and incident.state == State.RESOLVED,
        "can_rate": acts_as_caller and incident.state in (State.RESOLVED, State.CLOSED),
        "rating": IncidentRating.objects.filter(incident=incident).first(),
        "scores": rating.SCORES,
        "reopen_until": reopen_until,
        "is_agent_viewer": is_agent(user),
        "comment_form": forms.get("comment_form") or CommentForm(),
        "reopen_form": forms.get("reopen_form") or ReopenForm(),
        "cancel_form": forms.get("cancel_form") or CancelForm(),
        "nav": "tickets",
    }


@login_required
@require_GET
def ticket(request, number: str):
    incident = queries.ticket_for(request.user, number)
    return render(request, "portal/ticket.html", _detail_context(request, incident))


def _error(request, incident, exc: IncidentError):
    messages.error(request, exc.message)
    return redirect("portal:ticket", number=incident.number)


@login_required
@require_POST
def ticket_reply(request, number: str):
    incident = queries.ticket_for(request.user, number)
    form = CommentForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "portal/ticket.html", _detail_context(request, incident, comment_form=form), status=400)
    try:
        actions.add_reply(
            user=request.user, incident=incident, body=form.cleaned_data["body"], files=form.cleaned_data["attachments"]
        )
    except IncidentError as exc:
        return _error(request, incident, exc)
    messages.success(request, "Sent. The person working on it has been told.")
    return redirect("portal:ticket", number=incident.number)


@login_required
@require_POST
def ticket_cancel(request, number: str):
    incident = queries.ticket_for(request.user, number)
    form = CancelForm(request.POST)
    form.is_valid()
    try:
        actions.cancel_own(user=request.user, incident=incident, reason=form.cleaned_data.get("reason", ""))
    except IncidentError as exc:
        return _error(request, incident, exc)
    messages.success(request, "Cancelled. Nobody will work on it any more.")
    return redirect("portal:ticket", number=incident.number)


@login_required
@require_POST
def ticket_confirm(request, number: str):
    incident = queries.ticket_for(request.user, number)
    try:
        actions.confirm_fixed(user=request.user, incident=incident)
    except IncidentError as exc:
        return _error(request, incident, exc)
    messages.success(request, "Great, we've closed it. How did we do?")
    return redirect("portal:ticket", number=incident.number)


@login_required
@require_POST
def ticket_reopen(request, number: str):
    incident = queries.ticket_for(request.user, number)
    form = ReopenForm(request.POST)
    if not form.is_valid():
        return render(request, "portal/ticket.html", _detail_context(request, incident, reopen_form=form), status=400)
    try:
        lifecycle.incident_reopen(incident=incident, actor=request.user, reason=form.cleaned_data["reason"])
    except IncidentError as exc:
        return _error(request, incident, exc)
    messages.success(request, "Sorry it's still not right. We've picked it up again.")
    return redirect("portal:ticket", number=incident.number)


@require_http_methods(["GET", "POST"])
def ticket_rate(request, number: str):
    """Rating from the ticket page (signed in) or from the resolution email's signed link (even signed out)."""
    from incidents.models import Incident

    token = request.POST.get("t") or request.GET.get("t")
    incident = Incident.objects.select_related("caller").filter(number=(number or "").upper()).first()
    rater = rating.user_from_token(token, incident) if incident is not None else None
    if rater is None:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if incident is None or not visible_incidents(request.user).filter(pk=incident.pk).exists():
            raise Http404("No such ticket.")
        rater = request.user
    signed_out = not request.user.is_authenticated
    existing = IncidentRating.objects.filter(incident=incident).first()
    if request.method == "POST":
        form = RatingForm(request.POST)
        if form.is_valid():
            try:
                lifecycle.incident_rate(
                    incident=incident,
                    actor=rater,
                    score=form.cleaned_data["score"],
                    comment=form.cleaned_data["comment"],
                )
            except IncidentError as exc:
                form.add_error(None, exc.message)
            else:
                if signed_out or request.POST.get("from") == "email":
                    return render(request, "portal/rated.html", {"incident": incident, "signed_out": signed_out})
                messages.success(request, "Thank you for rating us!")
                return redirect("portal:ticket", number=incident.number)
    else:
        score = request.GET.get("score")
        initial = {"t": token or "", "score": int(score) if score in {"1", "2", "3", "4", "5"} else None}
        if existing and initial["score"] is None:
            initial.update(score=existing.score, comment=existing.comment)
        form = RatingForm(initial=initial)
    status = 400 if form.errors else 200
    return render(
        request,
        "portal/rate.html",
        {
            "incident": incident,
            "form": form,
            "scores": rating.SCORES,
            "existing": existing,
            "can_rate": can_act_as_caller(rater, incident) and incident.state in (State.RESOLVED, State.CLOSED),
            "signed_out": signed_out,
            "from_email": bool(token),
            "nav": "tickets",
        },
        status=status,
    )


@login_required
@require_GET
def ticket_file(request, number: str, pk: int):
    incident = queries.ticket_for(request.user, number)
    attachment = incident.attachments.filter(pk=pk, is_public=True).first()
    if attachment is None:
        raise Http404("No such file.")
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing.") from None
    return FileResponse(handle, as_attachment=True, filename=attachment.filename, content_type=attachment.content_type)
