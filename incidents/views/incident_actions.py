"""Writes from the incident page. Each form carries the version it was loaded with; a stale one is refused (409)
and the page shows what changed since, keeping the agent's input so nothing typed is lost."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from incidents import lifecycle
from incidents.choices import FINAL_STATES
from incidents.errors import IncidentError, StaleVersionError
from incidents.filters import NUMBER
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
from incidents.models import Incident
from incidents.views.access import agent_required
from incidents.views.incident_page import fields_original, load_incident, render_page
from incidents.workspace import timeline
from incidents.workspace.concurrency import check_version

FIELD_ALIASES = {
    "file": "attachments",
    "child": "other",
    "parent": "other",
    "state": "to_state",
    "team": "assigned_team",
}


def _form_key(form: forms.Form) -> str:
    return {
        IncidentFieldsForm: "fields_form",
        AssignForm: "assign_form",
        EscalateForm: "escalate_form",
        MajorForm: "major_form",
        LinkForm: "link_form",
        CommentForm: "comment_form",
        MajorUpdateForm: "major_update_form",
        WatcherForm: "watcher_form",
    }.get(type(form), "")


def _with_form(request, incident: Incident, form: forms.Form, *, status: int, **extra):
    """Re-renders the page with `form` in its place (bound, with errors) and its panel open."""
    if isinstance(form, TransitionForm):
        from incidents.views.incident_page import default_forms

        transitions = default_forms(incident)["transitions"]
        placed = False
        for item in transitions:
            if item["target"] == form.data.get("to_state"):
                item["form"] = form
                placed = True
        if not placed:  # a target not offered from this state: say why at the top of the page
            extra["page_errors"] = [message for errors in form.errors.values() for message in errors]
        return render_page(
            request,
            incident,
            status=status,
            transitions=transitions,
            open_panel=f"t-{form.data.get('to_state')}",
            **extra,
        )
    key = _form_key(form)
    hidden = incident.state in FINAL_STATES or (isinstance(form, MajorUpdateForm) and not incident.is_major)
    if hidden:  # the page does not show this form any more: say what went wrong at the top
        extra["page_errors"] = [message for errors in form.errors.values() for message in errors]
    return render_page(request, incident, status=status, open_panel=key, **{key: form}, **extra)


def _refreshed_data(request, incident: Incident, form: forms.Form, posted=None):
    """The agent's input on top of the incident as it is now, with the current version (a deliberate resubmit)."""
    data = (posted if posted is not None else request.POST).copy()
    data["expected_version"] = str(incident.version)
    data["loaded_at"] = incident.updated_at.isoformat()
    if isinstance(form, IncidentFieldsForm):
        edited = set(form.edited())
        current = IncidentFieldsForm.initial_for(incident)
        for name in IncidentFieldsForm.EDITABLE:
            if name not in edited:
                data[name] = "" if current[name] is None else str(current[name])
        data["original"] = fields_original(incident)
    return data


def conflict(request, number: str, form: forms.Form, *, posted=None):
    """409: someone else saved first. Show their changes since this page was loaded; keep what the agent typed."""
    incident = load_incident(number)
    since = form.cleaned_data.get("loaded_at") if hasattr(form, "cleaned_data") else None
    changes = [{"entry": e, "text": timeline.describe(e)} for e in timeline.changes_since(incident, since)]
    data = _refreshed_data(request, incident, form, posted)
    kwargs = {"from_state": incident.state} if isinstance(form, TransitionForm) else {}
    if isinstance(form, IncidentFieldsForm):
        kwargs["service_id"] = incident.service_id
    refreshed = type(form)(data, **kwargs)
    refreshed.is_valid()
    refreshed._errors = forms.utils.ErrorDict()  # the panel explains; no field is wrong
    lost_files = bool(request.FILES)
    return _with_form(request, incident, refreshed, status=409, conflict={"changes": changes, "lost_files": lost_files})


def _run(request, number: str, form: forms.Form, action: Callable[[Incident, dict], str], *, anchor: str = ""):
    """Validates, runs the lifecycle call, and answers: redirect on success, the page with errors otherwise."""
    incident = load_incident(number)
    if not form.is_valid():
        return _with_form(request, incident, form, status=400)
    try:
        with transaction.atomic():
            message = action(incident, form.cleaned_data)
    except StaleVersionError:
        return conflict(request, number, form)
    except IncidentError as exc:
        field = FIELD_ALIASES.get(exc.field or "", exc.field)
        form.add_error(field if field in form.fields else None, exc.message)
        return _with_form(request, incident, form, status=400)
    messages.success(request, message)
    return redirect(incident.get_absolute_url() + anchor)


@agent_required
@require_POST
def edit_fields(request, number: str):
    form = IncidentFieldsForm(request.POST)

    def action(incident, data):
        changes = form.changes(incident)
        if not changes:
            return "Nothing changed."
        lifecycle.incident_update(
            incident=incident, actor=request.user, changes=changes, expected_version=data["expected_version"],
            reason=data.get("reason", ""),
        )  # fmt: skip
        return f"Saved: {', '.join(name.replace('_', ' ') for name in changes)}."

    return _run(request, number, form, action)


@agent_required
@require_POST
def transition(request, number: str):
    incident = load_incident(number)
    form = TransitionForm(request.POST, from_state=incident.state)

    def action(incident, data):
        done = lifecycle.incident_transition(
            incident=incident,
            actor=request.user,
            to_state=data["to_state"],
            on_hold_reason=data.get("on_hold_reason", ""),
            resolution_code=data.get("resolution_code", ""),
            resolution_notes=data.get("resolution_notes", ""),
            reason=data.get("reason", ""),
            expected_version=data["expected_version"],
        )
        return f"{done.number} is now {done.get_state_display().lower()}."

    return _run(request, number, form, action)


@agent_required
@require_POST
def assign(request, number: str):
    form = AssignForm(request.POST)

    def action(incident, data):
        done = lifecycle.incident_assign(
            incident=incident, actor=request.user, team=data["assigned_team"], assignee=data["assignee"],
            expected_version=data["expected_version"], note=data.get("note", ""),
        )  # fmt: skip
        who = done.assignee.display_name if done.assignee else "nobody"
        return f"Assigned to {done.assigned_team or 'no team'} / {who}."

    return _run(request, number, form, action)


@agent_required
@require_POST
def assign_to_me(request, number: str):
    """One click: the agent takes the incident (the lifecycle checks they belong to its team)."""
    posted = request.POST.copy()
    posted["assignee"] = str(request.user.pk)
    incident = load_incident(number)
    posted.setdefault("assigned_team", str(incident.assigned_team_id or ""))
    form = AssignForm(posted)

    def action(incident, data):
        lifecycle.incident_assign(
            incident=incident, actor=request.user, assignee=request.user, expected_version=data["expected_version"]
        )
        return "Assigned to you."

    if not form.is_valid():
        messages.error(request, "The page was out of date; reload it and try again.")
        return redirect(incident.get_absolute_url())
    try:
        with transaction.atomic():
            message = action(incident, form.cleaned_data)
    except StaleVersionError:
        return conflict(request, number, form, posted=posted)
    except IncidentError as exc:
        messages.error(request, exc.message)
        return redirect(incident.get_absolute_url())
    messages.success(request, message)
    return redirect(incident.get_absolute_url())


@agent_required
@require_POST
def escalate(request, number: str):
    form = EscalateForm(request.POST)

    def action(incident, data):
        done = lifecycle.incident_escalate(
            incident=incident, actor=request.user, reason=data["reason"], expected_version=data["expected_version"]
        )
        return f"Escalated to {done.assigned_team} (level {done.escalation_level})."

    return _run(request, number, form, action)


@agent_required
@require_POST
def major(request, number: str):
    form = MajorForm(request.POST)

    def action(incident, data):
        declare = data["declare"]
        if declare == incident.is_major:
            raise IncidentError(
                f"{incident.number} is {'already' if declare else 'not'} a major incident.", field="declare"
            )
        lifecycle.incident_update(
            incident=incident, actor=request.user, changes={"is_major": declare},
            expected_version=data["expected_version"], reason=data.get("reason", ""),
        )  # fmt: skip
        return "Declared a major incident." if declare else "No longer a major incident."

    return _run(request, number, form, action)


@agent_required
@require_POST
def major_update(request, number: str):
    form = MajorUpdateForm(request.POST)

    def action(incident, data):
        count = lifecycle.incident_post_major_update(incident=incident, actor=request.user, body=data["body"])
        return f"Update posted on {incident.number} and {count} child incident{'s' if count != 1 else ''}."

    return _run(request, number, form, action, anchor="#major")


def _other(text: str) -> Incident:
    match = NUMBER.match(text or "")
    other = Incident.objects.filter(number=f"INC{int(match.group(1)):07d}").first() if match else None
    if other is None:
        raise IncidentError(f"There is no incident {text.strip() or '(empty)'}.", field="other")
    return other


@agent_required
@require_POST
def link(request, number: str):
    form = LinkForm(request.POST)

    def action(incident, data):
        other = _other(data["other"])
        if data["relation"] == "child":
            lifecycle.incident_link_child(
                parent=incident, child=other, actor=request.user, expected_version=data["expected_version"]
            )
            return f"{other.number} now follows {incident.number}."
        # This incident becomes the child: check its own version under a lock before linking.
        check_version(incident.pk, data["expected_version"])
        lifecycle.incident_link_child(parent=other, child=incident, actor=request.user)
        return f"{incident.number} now follows {other.number}."

    return _run(request, number, form, action, anchor="#related")


@agent_required
@require_POST
def unlink(request, number: str):
    incident = load_incident(number)
    child_number = (request.POST.get("child") or "").upper()
    try:
        child = _other(child_number)
        lifecycle.incident_unlink_child(parent=incident, child=child, actor=request.user)
    except IncidentError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{child.number} no longer follows {incident.number}.")
    return redirect(incident.get_absolute_url() + "#related")


@agent_required
@require_POST
def watch(request, number: str):
    form = WatcherForm(request.POST)

    def action(incident, data):
        user = data.get("user") or request.user
        lifecycle.incident_watch(incident=incident, actor=request.user, user=user, watch=data["watch"])
        who = "You" if user.pk == request.user.pk else user.display_name
        return f"{who} {'now watch' if data['watch'] else 'no longer watch'}{'es' if who != 'You' and data['watch'] else ''} {incident.number}."

    return _run(request, number, form, action, anchor="#watchers")


@agent_required
@require_POST
def comment(request, number: str):
    form = CommentForm(request.POST, request.FILES)

    def action(incident, data):
        public = data["visibility"] == "public"
        entry = None
        if (data.get("body") or "").strip():
            entry = lifecycle.incident_comment(
                incident=incident, actor=request.user, body=data["body"], public=public,
                expected_version=data["expected_version"],
            )  # fmt: skip
        else:
            check_version(incident.pk, data["expected_version"])
        for upload in data["attachments"]:
            lifecycle.incident_attach(
                incident=incident, actor=request.user, uploaded_file=upload, entry=entry, public=public
            )
        return "Comment posted (the caller sees it)." if public else "Work note added (agents only)."

    return _run(request, number, form, action, anchor="#timeline")
