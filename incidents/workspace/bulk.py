"""Bulk actions on queue rows: each row goes through the lifecycle on its own and reports its own outcome."""

from __future__ import annotations

from dataclasses import dataclass

from incidents import lifecycle
from incidents.errors import IncidentError, StaleVersionError
from incidents.models import Incident, User
from incidents.permissions import can_work_incident, visible_incidents
from incidents.priority import lowered, raised

ACTIONS = {
    "assign": "Assign",
    "state": "Change state",
    "raise": "Raise priority",
    "lower": "Lower priority",
    "note": "Add a work note",
}


@dataclass
class RowResult:
    incident_id: int
    number: str
    ok: bool
    message: str


def parse_targets(values: list[str]) -> list[tuple[int, int | None]]:
    """Checkbox values "id:version" (or a bare id) into (id, version) pairs, ignoring anything malformed."""
    targets: list[tuple[int, int | None]] = []
    seen: set[int] = set()
    for value in values:
        pk_text, _, version_text = (value or "").partition(":")
        if not pk_text.isdigit() or int(pk_text) in seen:
            continue
        seen.add(int(pk_text))
        targets.append((int(pk_text), int(version_text) if version_text.isdigit() else None))
    return targets


def _one(incident: Incident, version: int | None, *, actor: User, action: str, params: dict) -> str:
    if action == "assign":
        kwargs = {}
        if params.get("team") is not None:
            kwargs["team"] = params["team"]
        if params.get("assignee") is not None:
            kwargs["assignee"] = params["assignee"]
        if params.get("unassign"):
            kwargs["assignee"] = None
        done = lifecycle.incident_assign(incident=incident.pk, actor=actor, expected_version=version, **kwargs)
        who = " / ".join(
            filter(None, [str(done.assigned_team or ""), done.assignee.display_name if done.assignee else ""])
        )
        return f"Assigned to {who or 'nobody'}."
    if action == "state":
        done = lifecycle.incident_transition(
            incident=incident.pk,
            actor=actor,
            to_state=params["to_state"],
            on_hold_reason=params.get("on_hold_reason", ""),
            resolution_code=params.get("resolution_code", ""),
            resolution_notes=params.get("resolution_notes", ""),
            reason=params.get("reason", ""),
            expected_version=version,
        )
        return f"Now {done.get_state_display().lower()}."
    if action in ("raise", "lower"):
        new = raised(incident.priority) if action == "raise" else lowered(incident.priority)
        if new == incident.priority:
            raise IncidentError(f"Already P{incident.priority}.", field="priority")
        lifecycle.incident_update(
            incident=incident.pk,
            actor=actor,
            changes={"priority": new},
            expected_version=version,
            reason=params.get("reason", ""),
        )
        return f"Priority P{incident.priority} → P{new}."
    if action == "note":
        lifecycle.incident_comment(
            incident=incident.pk, actor=actor, body=params["body"], public=False, expected_version=version
        )
        return "Work note added."
    raise IncidentError(f"Unknown action {action!r}.", field="action")


def bulk_apply(*, actor: User, targets: list[tuple[int, int | None]], action: str, params: dict) -> list[RowResult]:
    """Applies one action to each selected incident; a failure on one row never stops the others."""
    incidents = {i.pk: i for i in visible_incidents(actor, Incident.objects.filter(pk__in=[pk for pk, _ in targets]))}
    results: list[RowResult] = []
    for pk, version in targets:
        incident = incidents.get(pk)
        if incident is None:
            results.append(RowResult(pk, f"#{pk}", False, "This incident does not exist or you cannot see it."))
            continue
        if not can_work_incident(actor, incident):
            results.append(RowResult(pk, incident.number, False, "You may not change this incident."))
            continue
        try:
            message = _one(incident, version, actor=actor, action=action, params=params)
        except StaleVersionError:
            message = "Someone else changed it after your list was loaded; nothing was done. Reload and try again."
            results.append(RowResult(pk, incident.number, False, message))
        except IncidentError as exc:
            results.append(RowResult(pk, incident.number, False, exc.message))
        else:
            results.append(RowResult(pk, incident.number, True, message))
    return results
