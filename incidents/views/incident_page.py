"""The incident page (/incidents/<number>/): header, SLA clocks, fields, actions, compose area and timeline."""

from __future__ import annotations

import json
from collections import defaultdict

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from incidents.choices import OPEN_STATES, State
from incidents.forms import (
    AssignForm,
    CommentForm,
    EscalateForm,
    IncidentFieldsForm,
    LinkForm,
    MajorForm,
    MajorUpdateForm,
    TransitionForm,
    WatcherForm,
)
from incidents.models import Attachment, ConfigurationItem, Incident
from incidents.transitions import allowed_targets
from incidents.views.access import agent_required
from incidents.views.queue import catalog_choices
from incidents.workspace import markup, sla, timeline, timeline_render
from incidents.workspace import rows as row_html

TRANSITION_LABELS = {
    (State.NEW, State.IN_PROGRESS): "Start work",
    (State.ON_HOLD, State.IN_PROGRESS): "Resume work",
    (State.RESOLVED, State.IN_PROGRESS): "Reopen",
}
TARGET_LABELS = {
    State.IN_PROGRESS: "Start work",
    State.ON_HOLD: "Put on hold",
    State.RESOLVED: "Resolve",
    State.CLOSED: "Close",
    State.CANCELLED: "Cancel incident",
}


def load_incident(number: str) -> Incident:
    """The incident with everything its header shows, in one query."""
    return get_object_or_404(
        Incident.objects.select_related(
            "caller", "caller__organization", "assigned_team", "assignee", "service", "ci", "category",
            "category__parent", "parent", "created_by",
        ),
        number=number.upper(),
    )  # fmt: skip


def versioned(incident: Incident) -> dict:
    return {"expected_version": incident.version, "loaded_at": incident.updated_at}


def fields_original(incident: Incident) -> str:
    """The values the fields form was loaded with, so a save sends only what the agent edited."""
    initial = IncidentFieldsForm.initial_for(incident)
    return json.dumps(
        {name: "" if initial[name] is None else str(initial[name]) for name in IncidentFieldsForm.EDITABLE}
    )


def default_forms(incident: Incident) -> dict:
    version = versioned(incident)
    transitions = []
    for target in allowed_targets(incident.state):
        transitions.append(
            {
                "target": target,
                "label": TRANSITION_LABELS.get((incident.state, target), TARGET_LABELS[target]),
                "form": TransitionForm(initial={"to_state": target, **version}, from_state=incident.state),
            }
        )
    return {
        "fields_form": IncidentFieldsForm(
            initial={**IncidentFieldsForm.initial_for(incident), "original": fields_original(incident)},
            service_id=incident.service_id,
        ),
        "transitions": transitions,
        "assign_form": AssignForm(
            initial={"assigned_team": incident.assigned_team_id, "assignee": incident.assignee_id, **version}
        ),
        "escalate_form": EscalateForm(initial=version),
        "major_form": MajorForm(initial={"declare": "0" if incident.is_major else "1", **version}),
        "link_form": LinkForm(initial=version),
        "comment_form": CommentForm(initial={"visibility": "work_note", **version}),
        "major_update_form": MajorUpdateForm(),
        "watcher_form": WatcherForm(initial={"watch": "1"}),
    }


def page_context(request, incident: Incident, **overrides) -> dict:
    """The whole page; `overrides` replace a default form (bound, with errors) or add a conflict panel."""
    show = request.GET.get("show", "all") if request.method == "GET" else "all"
    order = request.GET.get("order", "newest") if request.method == "GET" else "newest"
    show = show if show in timeline.FILTERS else "all"
    order = order if order in timeline.ORDERS else "newest"
    entries = list(timeline.entries(incident, show=show, order=order))
    attachments = list(incident.attachments.select_related("uploaded_by"))
    children = list(incident.children.select_related("assignee", "assigned_team").order_by("number"))
    now = timezone.now()
    clocks = sla.summaries([incident.pk, *(child.pk for child in children)], now)
    related = list(
        Incident.objects.filter(caller_id=incident.caller_id, state__in=OPEN_STATES)
        .exclude(pk=incident.pk)
        .only("number", "short_description", "state", "priority", "updated_at")
        .order_by("-updated_at")[:5]
    )
    watchers = list(incident.watchers.all())
    context = {
        "incident": incident,
        "entries": entries,
        "rendered": timeline_render.render(incident, entries, files_by_entry(attachments)),
        "show": show,
        "order": order,
        "timeline_filters": [(key, label) for key, (label, _) in timeline.FILTERS.items()],
        "timeline_orders": list(timeline.ORDERS.items()),
        "children": [{"incident": c, "sla": sla.headline(clocks.get(c.pk, []))} for c in children],
        "clocks": clocks.get(incident.pk, []),
        "related": related,
        "watchers": watchers,
        "watching": any(w.pk == request.user.pk for w in watchers),
        "attachments": attachments,
        "now": now,
        "is_final": incident.state in (State.CLOSED, State.CANCELLED),
        "open_panel": "",
        **default_forms(incident),
    }
    context.update(overrides)
    context["menus"] = menus(context)
    return context


def _value(form, name: str) -> list[str]:
    value = form[name].value()
    return [] if value in (None, "") else [str(value)]


def menus(context: dict) -> dict:
    """Options of the page's selects, from the briefly memoised catalog (cheaper than widget rendering)."""
    catalog = catalog_choices()
    fields_form, assign_form = context["fields_form"], context["assign_form"]
    service = _value(fields_form, "service")
    cis = (
        ConfigurationItem.objects.filter(service_id=int(service[0]), is_active=True).values_list("pk", "name")
        if service and service[0].isdigit()
        else []
    )
    return {
        "service": row_html.options([("", "(none)"), *catalog["services"]], service),
        "ci": row_html.options([("", "(none)"), *cis], _value(fields_form, "ci")),
        "category": row_html.options([("", "(none)"), *catalog["categories"]], _value(fields_form, "category")),
        "team": row_html.options([("", "(no team)"), *catalog["teams"]], _value(assign_form, "assigned_team")),
        "assignee": row_html.options([("", "(nobody)"), *catalog["agents"]], _value(assign_form, "assignee")),
        "watcher": row_html.options([("", "Me"), *catalog["agents"]], _value(context["watcher_form"], "user")),
    }


def files_by_entry(attachments: list[Attachment]) -> dict[int, list[Attachment]]:
    grouped: dict[int, list[Attachment]] = defaultdict(list)
    for attachment in attachments:
        if attachment.entry_id:
            grouped[attachment.entry_id].append(attachment)
    return grouped


def render_page(request, incident: Incident, *, status: int = 200, **overrides):
    return render(request, "agent/incident.html", page_context(request, incident, **overrides), status=status)


@agent_required
@require_GET
def incident_page(request, number: str):
    return render_page(request, load_incident(number))


@agent_required
@require_GET
def timeline_fragment(request, number: str):
    incident = load_incident(number)
    show = request.GET.get("show", "all")
    order = request.GET.get("order", "newest")
    show = show if show in timeline.FILTERS else "all"
    order = order if order in timeline.ORDERS else "newest"
    entries = list(timeline.entries(incident, show=show, order=order))
    context = {
        "incident": incident,
        "entries": entries,
        "rendered": timeline_render.render(incident, entries, files_by_entry(list(incident.attachments.all()))),
        "show": show,
        "order": order,
        "timeline_filters": [(key, label) for key, (label, _) in timeline.FILTERS.items()],
        "timeline_orders": list(timeline.ORDERS.items()),
    }
    return render(request, "agent/_timeline.html", context)


@agent_required
@require_POST
def markdown_preview(request):
    body = request.POST.get("body", "")
    return render(request, "agent/_markdown_preview.html", {"html": markup.render(body), "empty": not body.strip()})


@agent_required
@require_GET
def attachment_download(request, number: str, pk: int):
    attachment = get_object_or_404(
        Attachment.objects.select_related("incident"), pk=pk, incident__number=number.upper()
    )
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404("The file is missing from storage.") from None
    inline = attachment.content_type.startswith("image/") or attachment.content_type in (
        "application/pdf",
        "text/plain",
    )
    response = FileResponse(handle, as_attachment=not inline, filename=attachment.filename)
    response["Content-Type"] = attachment.content_type
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
    return response
