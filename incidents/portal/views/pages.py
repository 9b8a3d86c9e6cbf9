"""Portal pages around reporting: home, search, the report form and its suggestions, outages, preferences."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from incidents.choices import Level
from incidents.errors import IncidentError
from incidents.models import Incident, Service
from incidents.portal import actions, deflection, preferences, queries
from incidents.portal.choices import SuggestionKind
from incidents.portal.forms import PreferencesForm, ReportForm

TRACKED_PREFIXES = {"/knowledge/articles/": SuggestionKind.ARTICLE, "/portal/status/": SuggestionKind.OUTAGE}


@login_required
@require_GET
def home(request):
    user = request.user
    open_tickets = list(queries.ticket_list(user, closed=False)[:5])
    return render(
        request,
        "portal/home.html",
        {"outages": queries.outages_for(user), "open_tickets": open_tickets, "nav": "home"},
    )


@login_required
@require_GET
def search(request):
    q = (request.GET.get("q") or "").strip()[:200]
    return render(request, "portal/search.html", {"q": q, "nav": "home"})


@login_required
@require_http_methods(["GET", "POST"])
def report(request):
    if request.method == "POST":
        form = ReportForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                incident = actions.report_problem(
                    user=request.user,
                    short_description=data["short_description"],
                    description=data["description"],
                    service=data["service"],
                    urgency=data["how_bad"],
                    impact=data["who_else"] or Level.LOW,
                    files=data["attachments"],
                    session_token=data["session_token"],
                )
            except IncidentError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                return redirect("portal:report-done", number=incident.number)
    else:
        initial = {"session_token": str(uuid.uuid4()), "who_else": Level.LOW}
        if request.GET.get("q"):
            initial["short_description"] = request.GET["q"][:200]
        if request.GET.get("service", "").isdigit():
            initial["service"] = int(request.GET["service"])
        form = ReportForm(initial=initial)
    return render(request, "portal/report.html", {"form": form, "nav": "report"})


@login_required
@require_GET
def report_done(request, number: str):
    incident = queries.ticket_for(request.user, number)
    return render(request, "portal/report_done.html", {"incident": incident, "nav": "report"})


@login_required
@require_GET
def report_suggest(request):
    """The suggestions beside the report form (htmx): matching outages, then the knowledge helper's articles."""
    text = " ".join(request.GET.get(k, "") for k in ("short_description", "description")).strip()
    service = None
    if request.GET.get("service", "").isdigit():
        service = Service.objects.filter(pk=int(request.GET["service"]), is_active=True).first()
    outages = queries.matching_outages(request.user, text=text, service=service)
    return render(
        request,
        "portal/_suggestions.html",
        {"outages": outages, "q": text[:200], "token": request.GET.get("session_token", "")},
    )


@login_required
@require_GET
def suggestion_open(request):
    """Records that a suggestion was opened from the report form, then goes there (only to our own pages)."""
    target = request.GET.get("to", "")
    kind = next((k for prefix, k in TRACKED_PREFIXES.items() if target.startswith(prefix)), None)
    if kind is None or not url_has_allowed_host_and_scheme(target, allowed_hosts=None) or "//" in target:
        return HttpResponseBadRequest("This link does not lead to a suggestion.")
    deflection.record_open(
        user=request.user,
        token=request.GET.get("s"),
        kind=kind,
        target=target,
        query=(request.GET.get("q") or "")[:200],
    )
    return redirect(target)


@login_required
@require_GET
def outage(request, number: str):
    incident = queries.outage_or_404(number)
    joined = (
        Incident.objects.filter(caller=request.user, parent=incident).order_by("-created_at").first()
        if incident.is_open
        else None
    )
    return render(
        request,
        "portal/outage.html",
        {
            "outage": incident,
            "updates": queries.outage_updates(incident),
            "joined": joined,
            "token": request.GET.get("s", ""),
            "nav": "home",
        },
    )


@login_required
@require_POST
def outage_join(request, number: str):
    incident = queries.outage_or_404(number)
    try:
        ticket, created = actions.join_outage(
            user=request.user, outage=incident, session_token=request.POST.get("session_token")
        )
    except IncidentError as exc:
        messages.error(request, exc.message)
        return redirect("portal:outage", number=incident.number)
    if created:
        messages.success(
            request,
            f"Thanks, we've added you to the people affected. Your reference is {ticket.number}; "
            "we'll tell you as soon as it's fixed.",
        )
    else:
        messages.info(request, f"You're already on the list for this outage ({ticket.number}).")
    return redirect("portal:ticket", number=ticket.number)


@login_required
@require_http_methods(["GET", "POST"])
def preferences_page(request):
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            preferences.preferences_save(user=request.user, values=form.cleaned_data)
            messages.success(request, "Saved. We'll only email you about what you ticked.")
            return redirect("portal:preferences")
    else:
        form = PreferencesForm(initial=preferences.preferences_of(request.user))
    return render(request, "portal/preferences.html", {"form": form, "nav": "preferences"})
