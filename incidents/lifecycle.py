"""Every change to an incident, as one atomic function each.

Each function locks the incident row, checks the rule, saves with update_fields, bumps the version, appends to the
timeline, tells subscribers (the SLA engine) and queues notifications, all in one transaction. Views, the API, the
portal, email intake, monitoring and the SLA engine all call these; nothing else assigns an incident's fields.
`actor=None` means the system acted.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from incidents import hooks, notify
from incidents.choices import (
    FINAL_STATES,
    OPEN_STATES,
    Channel,
    EntryKind,
    Level,
    OnHoldReason,
    ResolutionCode,
    State,
)
from incidents.errors import IncidentError, StaleVersionError
from incidents.models import (
    Attachment,
    Category,
    ConfigurationItem,
    Incident,
    IncidentRating,
    PriorityRule,
    Service,
    Team,
    TimelineEntry,
    User,
)
from incidents.permissions import can_act_as_caller, is_agent
from incidents.priority import compute_priority
from incidents.transitions import allowed_targets, can_transition, is_reopen


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()
EDITABLE_FIELDS = (
    "short_description",
    "description",
    "caller",
    "service",
    "ci",
    "category",
    "impact",
    "urgency",
    "priority",
    "is_major",
)


# --- helpers -----------------------------------------------------------------------------------------------------


def priority_matrix() -> dict[tuple[str, str], int]:
    """The configured matrix; cells nobody configured fall back to ITIL's default in compute_priority."""
    return {(r.impact, r.urgency): r.priority for r in PriorityRule.objects.all()}


def next_incident_number() -> str:
    """INC + seven digits from a Postgres sequence: unique and never reused, even under concurrent creation."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('incident_number_seq')")
        (value,) = cursor.fetchone()
    return f"INC{value:07d}"


def _lock(incident: Incident | int) -> Incident:
    pk = incident.pk if isinstance(incident, Incident) else incident
    try:
        return Incident.objects.select_for_update(of=("self",)).get(pk=pk)
    except Incident.DoesNotExist:
        raise IncidentError("This incident does not exist.", code="not_found") from None


def _check_version(incident: Incident, expected_version: int | None) -> None:
    if expected_version is not None and int(expected_version) != incident.version:
        raise StaleVersionError(expected=int(expected_version), current=incident.version)


def _check_not_final(incident: Incident) -> None:
    if incident.state in FINAL_STATES:
        raise IncidentError(f"{incident.number} is {incident.get_state_display().lower()}: it can no longer change.")


def _actor_id(actor: User | None) -> int | None:
    return actor.pk if actor is not None else None


def _append(
    incident: Incident, kind: str, actor: User | None, at: datetime, *, public: bool = False, **fields: Any
) -> TimelineEntry:
    return TimelineEntry.objects.create(
        incident=incident, kind=kind, actor=actor, created_at=at, is_public=public, **fields
    )


def _save(incident: Incident, at: datetime, fields: Iterable[str]) -> None:
    incident.version += 1
    incident.updated_at = at
    incident.save(update_fields=sorted({*fields, "version", "updated_at"}))


def _label(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, User):
        return value.display_name
    return str(value)


def _mark_first_response(incident: Incident, actor: User | None, at: datetime, changed: dict, fields: set) -> None:
    """An agent (not the system, not the caller) acting for the first time is the first response."""
    if incident.first_response_at is None and actor is not None and is_agent(actor) and actor.pk != incident.caller_id:
        incident.first_response_at = at
        changed["first_response_at"] = (None, at)
        fields.add("first_response_at")


def _validate_assignee(team: Team | None, assignee: User | None) -> None:
    if assignee is None:
        return
    if not assignee.is_active or not is_agent(assignee):
        raise IncidentError(f"{assignee.display_name} is not an active agent.", field="assignee")
    if team is not None and not team.members.filter(pk=assignee.pk).exists():
        raise IncidentError(f"{assignee.display_name} is not a member of {team.name}.", field="assignee")


def route_team(*, category: Category | None, service: Service | None, ci: ConfigurationItem | None) -> Team | None:
    """The default team: the category's (or its parent's), else the CI's owner, else the service's owner."""
    if category is not None:
        team = category.routing_team()
        if team is not None:
            return team
    if ci is not None and ci.owner_team_id:
        return ci.owner_team
    if service is not None and service.owner_team_id:
        return service.owner_team
    return None


def _clean_level(value: str, field: str) -> str:
    if value not in Level.values:
        raise IncidentError(f"Choose high, medium or low (got {value!r}).", field=field)
    return value


# --- registration --------------------------------------------------------------------------------------------------


@transaction.atomic
def incident_create(
    *,
    actor: User | None,
    caller: User,
    short_description: str,
    description: str = "",
    channel: str = Channel.AGENT,
    service: Service | None = None,
    ci: ConfigurationItem | None = None,
    category: Category | None = None,
    impact: str = Level.LOW,
    urgency: str = Level.LOW,
    assigned_team: Team | None = None,
    assignee: User | None = None,
    is_major: bool = False,
    parent: Incident | None = None,
    watchers: Iterable[User] = (),
    at: datetime | None = None,
) -> Incident:
    """Registers an incident: numbers it, computes its priority, routes it, starts its clocks, tells the caller."""
    at = at or timezone.now()
    short_description = (short_description or "").strip()
    if not short_description:
        raise IncidentError("Say in a few words what is wrong.", field="short_description")
    if len(short_description) > 200:
        raise IncidentError("Keep the short description under 200 characters.", field="short_description")
    if caller is None:
        raise IncidentError("Choose who reported the incident.", field="caller")
    if channel not in Channel.values:
        raise IncidentError(f"Unknown channel {channel!r}.", field="channel")
    impact = _clean_level(impact, "impact")
    urgency = _clean_level(urgency, "urgency")
    if ci is not None:
        if service is None:
            service = ci.service
        elif ci.service_id != service.pk:
            raise IncidentError(f"{ci.name} does not belong to {service.name}.", field="ci")
    if parent is not None and parent.state in FINAL_STATES:
        raise IncidentError(f"{parent.number} is {parent.get_state_display().lower()}.", field="parent")
    team = assigned_team or route_team(category=category, service=service, ci=ci)
    _validate_assignee(team, assignee)

    incident = Incident.objects.create(
        number=next_incident_number(),
        short_description=short_description,
        description=description or "",
        caller=caller,
        organization_id=caller.organization_id,
        channel=channel,
        service=service,
        ci=ci,
        category=category,
        impact=impact,
        urgency=urgency,
        priority=compute_priority(priority_matrix(), impact, urgency),
        state=State.NEW,
        assigned_team=team,
        assignee=assignee,
        is_major=is_major,
        parent=parent,
        created_by=actor,
        created_at=at,
        updated_at=at,
    )
    watcher_list = [w for w in watchers if w is not None]
    if watcher_list:
        incident.watchers.add(*watcher_list)
    changed: dict[str, tuple[Any, Any]] = {}
    fields: set[str] = set()
    if assignee is not None:
        _mark_first_response(incident, actor, at, changed, fields)
        if fields:
            incident.save(update_fields=list(fields))
    entry = _append(
        incident,
        EntryKind.CREATED,
        actor,
        at,
        public=True,
        body=incident.description,
        data={
            "channel": channel,
            "priority": incident.priority,
            "impact": impact,
            "urgency": urgency,
            "team": team.name if team else None,
            "assignee": assignee.username if assignee else None,
            "routed": assigned_team is None and team is not None,
        },
    )
    hooks.publish(
        hooks.IncidentChange(incident=incident, kind="created", at=at, changes=changed, actor_id=_actor_id(actor))
    )
    notify.email(incident=incident, entry=entry, kind="created", to=[caller])
    if assignee is not None or team is not None:
        notify.email(incident=incident, entry=entry, kind="assigned", to=[assignee], exclude=[actor])
        if assignee is None:
            notify.email_team(incident=incident, entry=entry, kind="assigned", team=team, exclude=[actor])
    return incident


# --- state ---------------------------------------------------------------------------------------------------------


@transaction.atomic
def incident_transition(
    *,
    incident: Incident | int,
    actor: User | None,
    to_state: str,
    on_hold_reason: str = "",
    resolution_code: str = "",
    resolution_notes: str = "",
    reason: str = "",
    expected_version: int | None = None,
    at: datetime | None = None,
) -> Incident:
    """Moves an incident to another state, with what that state needs (hold reason, resolution code and notes)."""
    at = at or timezone.now()
    incident = _lock(incident)
    _check_version(incident, expected_version)
    from_state = incident.state
    if to_state not in State.values:
        raise IncidentError(f"Unknown state {to_state!r}.", field="state")
    if from_state == to_state:
        raise IncidentError(f"{incident.number} is already {incident.get_state_display().lower()}.", field="state")
    if not can_transition(from_state, to_state):
        allowed = ", ".join(State(s).label.lower() for s in allowed_targets(from_state)) or "nothing (it is final)"
        raise IncidentError(
            f"An incident that is {incident.get_state_display().lower()} cannot become "
            f"{State(to_state).label.lower()}; it may go to {allowed}.",
            field="state",
            code="invalid_transition",
        )
    changed: dict[str, tuple[Any, Any]] = {"state": (from_state, to_state)}
    fields = {"state"}
    data: dict[str, Any] = {}

    if to_state == State.ON_HOLD:
        if on_hold_reason not in OnHoldReason.values:
            raise IncidentError("Say what the incident is waiting for.", field="on_hold_reason")
        changed["on_hold_reason"] = (incident.on_hold_reason, on_hold_reason)
        incident.on_hold_reason = on_hold_reason
        fields.add("on_hold_reason")
        data["on_hold_reason"] = on_hold_reason
    elif incident.on_hold_reason:
        changed["on_hold_reason"] = (incident.on_hold_reason, "")
        incident.on_hold_reason = ""
        fields.add("on_hold_reason")

    if to_state == State.RESOLVED:
        if resolution_code not in ResolutionCode.values:
            raise IncidentError("Choose a resolution code.", field="resolution_code")
        if not (resolution_notes or "").strip():
            raise IncidentError("Describe how the incident was resolved.", field="resolution_notes")
        incident.resolution_code = resolution_code
        incident.resolution_notes = resolution_notes.strip()
        incident.resolved_at = at
        fields |= {"resolution_code", "resolution_notes", "resolved_at"}
        data["resolution_code"] = resolution_code
    elif to_state == State.CLOSED:
        incident.closed_at = at
        fields.add("closed_at")
    elif to_state == State.CANCELLED:
        incident.cancelled_at = at
        fields.add("cancelled_at")

    reopened = is_reopen(from_state, to_state)
    if reopened:
        incident.reopen_count += 1
        incident.resolved_at = None
        incident.resolution_code = ""
        fields |= {"reopen_count", "resolved_at", "resolution_code"}
        data["reopen"] = True
    if to_state == State.IN_PROGRESS and not reopened:
        _mark_first_response(incident, actor, at, changed, fields)

    incident.state = to_state
    _save(incident, at, fields)
    body = incident.resolution_notes if to_state == State.RESOLVED else (reason or "").strip()
    entry = _append(
        incident,
        EntryKind.STATE_CHANGE,
        actor,
        at,
        public=True,
        field="state",
        old_value=from_state,
        new_value=to_state,
        body=body,
        data=data,
    )
    hooks.publish(
        hooks.IncidentChange(incident=incident, kind="state", at=at, changes=changed, actor_id=_actor_id(actor))
    )

    if to_state == State.RESOLVED:
        notify.email(incident=incident, entry=entry, kind="resolved", to=[incident.caller])
        notify.email(
            incident=incident,
            entry=entry,
            kind="state_changed",
            to=notify.watchers(incident),
            exclude=[actor, incident.caller],
        )
        _resolve_children(incident, actor=actor, at=at)
    elif reopened:
        notify.email(incident=incident, entry=entry, kind="reopened", to=[incident.assignee], exclude=[actor])
    elif to_state in (State.ON_HOLD, State.CANCELLED) or (
        to_state == State.IN_PROGRESS and from_state == State.ON_HOLD
    ):
        recipients = [incident.caller, *notify.watchers(incident)]
        notify.email(incident=incident, entry=entry, kind="state_changed", to=recipients, exclude=[actor])
    return incident


def _resolve_children(parent: Incident, *, actor: User | None, at: datetime) -> None:
    """Children follow their parent's resolution, each through the same transition (and its notifications)."""
    for child_id in parent.children.filter(state__in=OPEN_STATES).values_list("pk", flat=True):
        incident_transition(
            incident=child_id,
            actor=actor,
            to_state=State.RESOLVED,
            resolution_code=parent.resolution_code,
            resolution_notes=parent.resolution_notes,
            at=at,
        )


@transaction.atomic
def incident_reopen(
    *,
    incident: Incident | int,
    actor: User | None,
    reason: str,
    expected_version: int | None = None,
    at: datetime | None = None,
) -> Incident:
    """The caller (or an agent) says it is still broken: resolved goes back to in progress."""
    if not (reason or "").strip():
        raise IncidentError("Say why the incident is not solved.", field="reason")
    locked = _lock(incident)
    if actor is not None and not is_agent(actor) and not can_act_as_caller(actor, locked):
        raise IncidentError("Only the caller or an agent may reopen this incident.", code="forbidden")
    if locked.state != State.RESOLVED:
        raise IncidentError("Only a resolved incident can be reopened.", field="state")
    return incident_transition(
        incident=locked,
        actor=actor,
        to_state=State.IN_PROGRESS,
        reason=reason,
        expected_version=expected_version,
        at=at,
    )


def incidents_auto_close(*, now: datetime | None = None, batch_size: int = 200) -> int:
    """Closes resolved incidents whose reopen window has passed; safe to run from many workers at once."""
    now = now or timezone.now()
    deadline = now - timedelta(days=settings.INCIDENT_AUTO_CLOSE_DAYS)
    closed = 0
    while True:
        with transaction.atomic():
            batch = list(
                Incident.objects.select_for_update(skip_locked=True)
                .filter(state=State.RESOLVED, resolved_at__lte=deadline)
                .order_by("resolved_at")[:batch_size]
            )
            for incident in batch:
                incident_transition(
                    incident=incident,
                    actor=None,
                    to_state=State.CLOSED,
                    reason=f"Closed automatically {settings.INCIDENT_AUTO_CLOSE_DAYS} days after resolution.",
                    at=now,
                )
        closed += len(batch)
        if len(batch) < batch_size:
            return closed


# --- assignment and escalation ---------------------------------------------------------------------------------


@transaction.atomic
def incident_assign(
    *,
    incident: Incident | int,
    actor: User | None,
    team: Team | None = UNSET,
    assignee: User | None = UNSET,
    expected_version: int | None = None,
    note: str = "",
    at: datetime | None = None,
) -> Incident:
    """Assigns to a team and/or a person (None clears it); a person must be an agent of that team."""
    at = at or timezone.now()
    incident = _lock(incident)
    _check_version(incident, expected_version)
    _check_not_final(incident)
    new_team = incident.assigned_team if team is UNSET else team
    new_assignee = incident.assignee if assignee is UNSET else assignee
    moving_team_only = team is not UNSET and assignee is UNSET and new_assignee is not None and new_team is not None
    # Moving to another team takes the incident away from a person who is not in it.
    if moving_team_only and not new_team.members.filter(pk=new_assignee.pk).exists():
        new_assignee = None
    if assignee is not UNSET and assignee is not None and team is UNSET and new_team is None:
        new_team = assignee.teams.filter(is_active=True).order_by("name").first()
    _validate_assignee(new_team, new_assignee)
    changed: dict[str, tuple[Any, Any]] = {}
    fields: set[str] = set()
    if new_team != incident.assigned_team:
        changed["assigned_team"] = (incident.assigned_team, new_team)
        incident.assigned_team = new_team
        fields.add("assigned_team")
    if new_assignee != incident.assignee:
        changed["assignee"] = (incident.assignee, new_assignee)
        incident.assignee = new_assignee
        fields.add("assignee")
    if not changed:
        raise IncidentError("Nothing to change: the incident is already assigned that way.", field="assignee")
    if "assignee" in changed and new_assignee is not None:
        _mark_first_response(incident, actor, at, changed, fields)
    _save(incident, at, fields)
    entry = _append(
        incident,
        EntryKind.ASSIGNMENT,
        actor,
        at,
        body=note,
        data={
            name: [_label(old), _label(new)]
            for name, (old, new) in changed.items()
            if name in ("assigned_team", "assignee")
        },
        old_value=" / ".join(
            filter(
                None, [_label(changed.get("assigned_team", (None,))[0]), _label(changed.get("assignee", (None,))[0])]
            )
        ),
        new_value=" / ".join(filter(None, [_label(incident.assigned_team), _label(incident.assignee)])),
    )
    hooks.publish(
        hooks.IncidentChange(incident=incident, kind="assignment", at=at, changes=changed, actor_id=_actor_id(actor))
    )
    if "assignee" in changed and new_assignee is not None:
        notify.email(incident=incident, entry=entry, kind="assigned", to=[new_assignee], exclude=[actor])
    elif "assigned_team" in changed and new_team is not None:
        notify.email_team(incident=incident, entry=entry, kind="assigned", team=new_team, exclude=[actor])
    return incident


@transaction.atomic
def incident_escalate(
    *,
    incident: Incident | int,
    actor: User | None,
    reason: str,
    expected_version: int | None = None,
    at: datetime | None = None,
) -> Incident:
    """Functional escalation: hands the incident to its team's escalation team and tells that team and its manager."""
    at = at or timezone.now()
    if not (reason or "").strip():
        raise IncidentError("Say why the incident needs escalating.", field="reason")
    incident = _lock(incident)
    _check_version(incident, expected_version)
    _check_not_final(incident)
    team = incident.assigned_team
    target = team.escalation_team if team is not None else None
    if target is None:
        raise IncidentError(
            f"{team.name if team else 'The incident has no team and'} has no escalation team configured.",
            field="assigned_team",
        )
    changed = {
        "assigned_team": (team, target),
        "escalation_level": (incident.escalation_level, incident.escalation_level + 1),
    }
    fields = {"assigned_team", "escalation_level"}
    if incident.assignee is not None:
        changed["assignee"] = (incident.assignee, None)
        incident.assignee = None
        fields.add("assignee")
    incident.assigned_team = target
    incident.escalation_level += 1
    _save(incident, at, fields)
    entry = _append(
        incident,
        EntryKind.ESCALATION,
        actor,
        at,
        body=reason.strip(),
        old_value=team.name,
        new_value=target.name,
        data={"level": incident.escalation_level},
    )
    hooks.publish(
        hooks.IncidentChange(incident=incident, kind="assignment", at=at, changes=changed, actor_id=_actor_id(actor))
    )
    notify.email_team(incident=incident, entry=entry, kind="escalated", team=target, exclude=[actor])
    if target.manager_id:
        notify.email(incident=incident, entry=entry, kind="escalated", to=[target.manager], exclude=[actor])
    return incident


# --- fields ----------------------------------------------------------------------------------------------------------


@transaction.atomic
def incident_update(
    *,
    incident: Incident | int,
    actor: User | None,
    changes: dict[str, Any],
    expected_version: int | None = None,
    reason: str = "",
    at: datetime | None = None,
) -> Incident:
    """Edits fields (description, caller, service, CI, category, impact, urgency, priority, major flag).

    Impact or urgency recompute the priority from the matrix unless a priority is given explicitly.
    """
    at = at or timezone.now()
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise IncidentError(f"These fields cannot be edited: {', '.join(sorted(unknown))}.", field=sorted(unknown)[0])
    incident = _lock(incident)
    _check_version(incident, expected_version)
    _check_not_final(incident)
    new = {name: changes[name] for name in changes}
    if "short_description" in new:
        text = (new["short_description"] or "").strip()
        if not text:
            raise IncidentError("Say in a few words what is wrong.", field="short_description")
        if len(text) > 200:
            raise IncidentError("Keep the short description under 200 characters.", field="short_description")
        new["short_description"] = text
    for level in ("impact", "urgency"):
        if level in new:
            _clean_level(new[level], level)
    if "priority" in new and new["priority"] not in (1, 2, 3, 4, 5):
        raise IncidentError("Priority goes from 1 (critical) to 5 (planning).", field="priority")
    if "caller" in new and new["caller"] is None:
        raise IncidentError("An incident needs a caller.", field="caller")
    service = new.get("service", incident.service)
    ci = new.get("ci", incident.ci)
    if "service" in new and "ci" not in new and ci is not None and (service is None or ci.service_id != service.pk):
        new["ci"] = ci = None
    if ci is not None and service is None:
        new["service"] = service = ci.service
    if ci is not None and ci.service_id != service.pk:
        raise IncidentError(f"{ci.name} does not belong to {service.name}.", field="ci")
    if ("impact" in new or "urgency" in new) and "priority" not in new:
        new["priority"] = compute_priority(
            priority_matrix(), new.get("impact", incident.impact), new.get("urgency", incident.urgency)
        )

    changed: dict[str, tuple[Any, Any]] = {}
    for name, value in new.items():
        old = getattr(incident, name)
        if old != value:
            changed[name] = (old, value)
            setattr(incident, name, value)
    if "caller" in changed:
        changed["organization"] = (incident.organization_id, new["caller"].organization_id)
        incident.organization_id = new["caller"].organization_id
    if not changed:
        return incident
    _save(incident, at, changed.keys())
    public_fields = {"short_description", "priority", "service", "is_major"}
    last_entry = None
    for name, (old, value) in changed.items():
        if name == "organization":
            continue
        last_entry = _append(
            incident,
            EntryKind.FIELD_CHANGE,
            actor,
            at,
            public=name in public_fields,
            field=name,
            old_value=_label(old),
            new_value=_label(value),
            body=reason,
        )
    hooks.publish(
        hooks.IncidentChange(incident=incident, kind="fields", at=at, changes=changed, actor_id=_actor_id(actor))
    )
    if last_entry is not None and public_fields & changed.keys():
        notify.email(
            incident=incident, entry=last_entry, kind="state_changed", to=notify.watchers(incident), exclude=[actor]
        )
    return incident


# --- conversation ------------------------------------------------------------------------------------------------


@transaction.atomic
def incident_comment(
    *,
    incident: Incident | int,
    actor: User | None,
    body: str,
    public: bool = True,
    expected_version: int | None = None,
    data: dict | None = None,
    at: datetime | None = None,
) -> TimelineEntry:
    """Adds a public comment (the caller sees it) or a work note (agents only).

    A caller's comment on an incident waiting for the caller puts it back in progress.
    """
    at = at or timezone.now()
    body = (body or "").strip()
    if not body:
        raise IncidentError("Write something first.", field="body")
    incident = _lock(incident)
    _check_version(incident, expected_version)
    _check_not_final(incident)
    by_agent = actor is not None and is_agent(actor)
    if not public and not by_agent:
        raise IncidentError("Only agents can add work notes.", field="body", code="forbidden")
    changed: dict[str, tuple[Any, Any]] = {}
    fields: set[str] = set()
    if public and actor is not None and actor.pk != incident.caller_id:
        _mark_first_response(incident, actor, at, changed, fields)
    _save(incident, at, fields)
    kind = EntryKind.COMMENT if public else EntryKind.WORK_NOTE
    entry = _append(incident, kind, actor, at, public=public, body=body, data=data or {})
    # Published for every comment and work note, so subscribers (webhooks) need not follow the timeline themselves.
    hooks.publish(
        hooks.IncidentChange(
            incident=incident, kind="comment", at=at, changes=changed, actor_id=_actor_id(actor), entry=entry
        )
    )

    if not public:
        notify.email(
            incident=incident, entry=entry, kind="work_note_mention", to=notify.mentioned_agents(body), exclude=[actor]
        )
        return entry
    from_caller_side = actor is None or not by_agent or actor.pk == incident.caller_id
    if from_caller_side:
        to = [incident.assignee] if incident.assignee else []
        notify.email(
            incident=incident, entry=entry, kind="caller_replied", to=to + notify.watchers(incident), exclude=[actor]
        )
        if not incident.assignee:
            notify.email_team(
                incident=incident, entry=entry, kind="caller_replied", team=incident.assigned_team, exclude=[actor]
            )
        if incident.state == State.ON_HOLD and incident.on_hold_reason == OnHoldReason.AWAITING_CALLER:
            incident_transition(
                incident=incident, actor=actor, to_state=State.IN_PROGRESS, reason="The caller replied.", at=at
            )
    else:
        notify.email(
            incident=incident,
            entry=entry,
            kind="comment",
            to=[incident.caller, *notify.watchers(incident)],
            exclude=[actor],
        )
    return entry


@transaction.atomic
def incident_attach(
    *,
    incident: Incident | int,
    actor: User | None,
    uploaded_file,
    entry: TimelineEntry | None = None,
    public: bool = True,
    at: datetime | None = None,
) -> Attachment:
    """Stores a file on an incident after checking its size and type against the settings."""
    at = at or timezone.now()
    size = uploaded_file.size
    content_type = (getattr(uploaded_file, "content_type", "") or "application/octet-stream").split(";")[0].strip()
    name = (getattr(uploaded_file, "name", "") or "attachment").replace("\\", "/").rsplit("/", 1)[-1][:200]
    if size > settings.ATTACHMENT_MAX_BYTES:
        raise IncidentError(
            f"{name} is {size // 1024} KB; files may be at most {settings.ATTACHMENT_MAX_BYTES // 1024} KB.",
            field="file",
            code="too_large",
        )
    if content_type not in settings.ATTACHMENT_ALLOWED_TYPES:
        raise IncidentError(f"Files of type {content_type} are not accepted.", field="file", code="unsupported_type")
    incident = _lock(incident)
    _check_not_final(incident)
    if not public and not (actor is not None and is_agent(actor)):
        raise IncidentError("Only agents can add internal attachments.", field="file", code="forbidden")
    attachment = Attachment(
        incident=incident,
        entry=entry,
        filename=name,
        content_type=content_type,
        size=size,
        is_public=public,
        uploaded_by=actor,
    )
    attachment.file.save(name, uploaded_file, save=False)
    attachment.save()
    _save(incident, at, ())
    _append(
        incident,
        EntryKind.ATTACHMENT,
        actor,
        at,
        public=public,
        new_value=name,
        data={"attachment": attachment.pk, "size": size, "content_type": content_type},
    )
    return attachment


# --- people and links --------------------------------------------------------------------------------------------


@transaction.atomic
def incident_watch(*, incident: Incident | int, actor: User | None, user: User, watch: bool = True) -> Incident:
    """Adds or removes a watcher (who gets told about every public change)."""
    at = timezone.now()
    incident = _lock(incident)
    is_watching = incident.watchers.filter(pk=user.pk).exists()
    if watch == is_watching:
        return incident
    if watch:
        incident.watchers.add(user)
    else:
        incident.watchers.remove(user)
    _save(incident, at, ())
    _append(
        incident,
        EntryKind.WATCHER,
        actor,
        at,
        field="watchers",
        old_value="" if watch else user.display_name,
        new_value=user.display_name if watch else "",
    )
    return incident


def _ancestors(incident: Incident) -> set[int]:
    seen: set[int] = set()
    current = incident
    while current.parent_id and current.parent_id not in seen:
        seen.add(current.parent_id)
        current = Incident.objects.only("pk", "parent_id").get(pk=current.parent_id)
    return seen


@transaction.atomic
def incident_link_child(
    *, parent: Incident | int, child: Incident | int, actor: User | None, expected_version: int | None = None
) -> Incident:
    """Makes `child` follow `parent` (a major incident or a duplicate's master); returns the child."""
    at = timezone.now()
    parent = _lock(parent)
    _check_version(parent, expected_version)
    child = _lock(child)
    if parent.pk == child.pk:
        raise IncidentError("An incident cannot be its own parent.", field="child")
    if child.pk in _ancestors(parent):
        raise IncidentError(f"{child.number} is already above {parent.number}; that would make a loop.", field="child")
    _check_not_final(child)
    if parent.state in FINAL_STATES:
        raise IncidentError(f"{parent.number} is {parent.get_state_display().lower()}.", field="parent")
    if child.parent_id == parent.pk:
        raise IncidentError(f"{child.number} is already linked to {parent.number}.", field="child")
    old_parent = child.parent
    child.parent = parent
    _save(child, at, {"parent"})
    _save(parent, at, ())
    _append(
        child,
        EntryKind.LINK,
        actor,
        at,
        field="parent",
        old_value=old_parent.number if old_parent else "",
        new_value=parent.number,
    )
    _append(parent, EntryKind.LINK, actor, at, field="children", new_value=child.number)
    return child


@transaction.atomic
def incident_unlink_child(*, parent: Incident | int, child: Incident | int, actor: User | None) -> Incident:
    """Detaches a child from its parent; returns the child."""
    at = timezone.now()
    parent = _lock(parent)
    child = _lock(child)
    if child.parent_id != parent.pk:
        raise IncidentError(f"{child.number} is not a child of {parent.number}.", field="child")
    child.parent = None
    _save(child, at, {"parent"})
    _save(parent, at, ())
    _append(child, EntryKind.LINK, actor, at, field="parent", old_value=parent.number, new_value="")
    _append(parent, EntryKind.LINK, actor, at, field="children", old_value=child.number, new_value="")
    return child


@transaction.atomic
def incident_post_major_update(*, incident: Incident | int, actor: User, body: str) -> int:
    """Posts one public update on a major incident and on each open child, so every affected caller hears it once."""
    parent = _lock(incident)
    if not parent.is_major:
        raise IncidentError(f"{parent.number} is not a major incident.", field="is_major")
    incident_comment(incident=parent, actor=actor, body=body, public=True)
    count = 0
    for child_id in parent.children.filter(state__in=OPEN_STATES).values_list("pk", flat=True):
        incident_comment(
            incident=child_id, actor=actor, body=body, public=True, data={"major_update_from": parent.number}
        )
        count += 1
    return count


# --- system events and caller feedback ---------------------------------------------------------------------------


def incident_record_event(
    *,
    incident: Incident,
    kind: str,
    body: str,
    data: dict | None = None,
    actor: User | None = None,
    public: bool = False,
    at: datetime | None = None,
) -> TimelineEntry:
    """Appends a system event (SLA warning, alert repeat, knowledge link) to the timeline; call inside a transaction."""
    return _append(incident, kind, actor, at or timezone.now(), public=public, body=body, data=data or {})


def incidents_record_events(events: Iterable[dict[str, Any]]) -> list[TimelineEntry]:
    """Appends many system events at once (the SLA tick's threshold crossings): one INSERT however many there are.

    Each item: incident_id, kind, body, at, and optionally data and public. Call inside a transaction.
    """
    return TimelineEntry.objects.bulk_create(
        [
            TimelineEntry(
                incident_id=item["incident_id"],
                kind=item["kind"],
                actor=None,
                created_at=item["at"],
                is_public=item.get("public", False),
                body=item["body"],
                data=item.get("data") or {},
            )
            for item in events
        ]
    )


@transaction.atomic
def incident_rate(*, incident: Incident | int, actor: User, score: int, comment: str = "") -> IncidentRating:
    """Stores the caller's satisfaction (1 to 5) with a resolved or closed incident; rating again replaces it."""
    incident = _lock(incident)
    if not can_act_as_caller(actor, incident):
        raise IncidentError("Only the caller can rate this incident.", code="forbidden")
    if incident.state not in (State.RESOLVED, State.CLOSED):
        raise IncidentError("You can rate an incident once it is resolved.", field="score")
    try:
        score = int(score)
    except (TypeError, ValueError):
        raise IncidentError("Choose a rating from 1 to 5.", field="score") from None
    if not 1 <= score <= 5:
        raise IncidentError("Choose a rating from 1 to 5.", field="score")
    rating, _ = IncidentRating.objects.update_or_create(
        incident=incident, defaults={"score": score, "comment": (comment or "").strip(), "rated_by": actor}
    )
    _append(incident, EntryKind.RATING, actor, timezone.now(), public=True, new_value=str(score), body=rating.comment)
    return rating
