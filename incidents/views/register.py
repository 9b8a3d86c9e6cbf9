"""Registering an incident (/incidents/new/) and its live helpers: caller lookup, CIs, priority, duplicates."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from incidents import lifecycle
from incidents.choices import Level
from incidents.errors import IncidentError
from incidents.forms import IncidentCreateForm, find_people, resolve_person
from incidents.models import Category, ConfigurationItem, Incident, Service, Team
from incidents.priority import compute_priority
from incidents.views.access import agent_required
from incidents.workspace.similar import similar_open_incidents


def _apply_error(form: forms.Form, exc: IncidentError) -> None:
    """Puts a lifecycle error beside the field it names, or above the form."""
    field = {"file": "attachments", "assigned_team": "assigned_team"}.get(exc.field or "", exc.field)
    if field == "category" and form.cleaned_data.get("subcategory") is not None:
        field = "subcategory"
    form.add_error(field if field in form.fields else None, exc.message)


@agent_required
@require_http_methods(["GET", "POST"])
def incident_new(request):
    if request.method == "POST":
        form = IncidentCreateForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    incident = lifecycle.incident_create(
                        actor=request.user,
                        caller=data["caller"],
                        short_description=data["short_description"],
                        description=data["description"],
                        service=data["service"],
                        ci=data["ci"],
                        category=form.chosen_category,
                        impact=data["impact"],
                        urgency=data["urgency"],
                        assigned_team=data["assigned_team"],
                        assignee=data["assignee"],
                        is_major=data["is_major"],
                    )
                    for upload in data["attachments"]:
                        lifecycle.incident_attach(incident=incident, actor=request.user, uploaded_file=upload)
            except IncidentError as exc:
                _apply_error(form, exc)
            else:
                messages.success(request, f"{incident.number} registered.")
                return redirect(incident.get_absolute_url())
        status = 400
    else:
        form = IncidentCreateForm(initial={"impact": Level.LOW, "urgency": Level.LOW})
        status = 200
    return render(request, "agent/new.html", {"form": form, "preview": _preview(form)}, status=status)


def _preview(form: IncidentCreateForm) -> dict:
    data = form.data if form.is_bound else {}
    return preview_for(data)


def _pk(data, name: str) -> int | None:
    value = str(data.get(name) or "")
    return int(value) if value.isdigit() else None


def preview_for(data) -> dict:
    """The priority the matrix gives and the team routing would choose, for what the form holds right now."""
    impact = data.get("impact") or Level.LOW
    urgency = data.get("urgency") or Level.LOW
    priority = None
    if impact in Level.values and urgency in Level.values:
        priority = compute_priority(lifecycle.priority_matrix(), impact, urgency)
    category = (
        Category.objects.filter(pk=_pk(data, "subcategory") or _pk(data, "category"))
        .select_related("parent", "default_team", "parent__default_team")
        .first()
    )
    ci = ConfigurationItem.objects.filter(pk=_pk(data, "ci")).select_related("owner_team").first()
    service = Service.objects.filter(pk=_pk(data, "service")).select_related("owner_team").first()
    chosen = Team.objects.filter(pk=_pk(data, "assigned_team")).first()
    routed = lifecycle.route_team(category=category, service=service, ci=ci)
    if chosen is not None:
        source = "chosen on this form"
    elif routed is None:
        source = ""
    elif category is not None and category.routing_team() == routed:
        source = f"default of category {category}"
    elif ci is not None and ci.owner_team_id == routed.pk:
        source = f"owner of {ci.name}"
    else:
        source = f"owner of {service.name}" if service else ""
    return {"priority": priority, "team": chosen or routed, "team_source": source}


@agent_required
@require_GET
def preview(request):
    return render(request, "agent/_new_preview.html", {"preview": preview_for(request.GET)})


@agent_required
@require_GET
def caller_options(request):
    people = find_people(request.GET.get("caller") or request.GET.get("q") or "")
    return render(request, "agent/_caller_options.html", {"people": people})


@agent_required
@require_GET
def ci_options(request):
    service = _pk(request.GET, "service")
    cis = ConfigurationItem.objects.filter(service_id=service, is_active=True).order_by("name") if service else []
    response = render(request, "agent/_options.html", {"options": cis, "empty": "(none)"})
    response["HX-Trigger"] = "ci-options-changed"  # the priority/routing preview recomputes with the new CI list
    return response


@agent_required
@require_GET
def subcategory_options(request):
    category = _pk(request.GET, "category")
    subs = Category.objects.filter(parent_id=category, is_active=True).order_by("name") if category else []
    return render(request, "agent/_options.html", {"options": subs, "empty": "(none)", "plain_names": True})


@agent_required
@require_GET
def similar(request):
    text = " ".join(filter(None, [request.GET.get("short_description", ""), request.GET.get("q", "")]))
    return render(request, "agent/_similar.html", {"similar": similar_open_incidents(text)})


@agent_required
@require_POST
def link_instead(request):
    """ "Link as child instead": nothing new is registered; the caller follows the existing incident."""
    existing = get_object_or_404(Incident, number=(request.POST.get("duplicate_of") or "").upper())
    try:
        caller = resolve_person(request.POST.get("caller", ""))
    except forms.ValidationError as exc:
        messages.error(request, f"Choose the caller first: {exc.messages[0]}")
        return redirect("/incidents/new/")
    try:
        with transaction.atomic():
            lifecycle.incident_watch(incident=existing, actor=request.user, user=caller)
            text = (request.POST.get("short_description") or "").strip()
            note = f"{caller.display_name} reported the same problem" + (f": “{text}”" if text else ".")
            lifecycle.incident_comment(incident=existing, actor=request.user, body=note, public=False)
    except IncidentError as exc:
        messages.error(request, exc.message)
        return redirect("/incidents/new/")
    messages.success(
        request, f"Nothing new registered: {caller.display_name} now follows {existing.number} as a watcher."
    )
    return redirect(existing.get_absolute_url())
