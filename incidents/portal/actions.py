"""What a requester does on the portal, each as one atomic function over incidents.lifecycle."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction

from incidents import lifecycle
from incidents.choices import OPEN_STATES, Channel, Level, State
from incidents.errors import IncidentError
from incidents.models import Incident, Service, TimelineEntry, User
from incidents.permissions import can_act_as_caller, can_cancel_as_caller, can_comment
from incidents.portal import deflection
from incidents.portal.choices import SessionOutcome


@transaction.atomic
def report_problem(
    *,
    user: User,
    short_description: str,
    description: str = "",
    service: Service | None = None,
    urgency: str = Level.MEDIUM,
    impact: str = Level.LOW,
    files: Sequence = (),
    session_token: str | None = None,
) -> Incident:
    """Registers the requester's problem with its files; a refused file rolls the whole report back."""
    incident = lifecycle.incident_create(
        actor=user,
        caller=user,
        short_description=short_description,
        description=description,
        channel=Channel.PORTAL,
        service=service,
        impact=impact,
        urgency=urgency,
    )
    for upload in files:
        lifecycle.incident_attach(incident=incident, actor=user, uploaded_file=upload, public=True)
    deflection.record_reported(user=user, token=session_token, incident=incident)
    return incident


@transaction.atomic
def join_outage(*, user: User, outage: Incident, session_token: str | None = None) -> tuple[Incident, bool]:
    """ "This affects me too": registers the requester's own ticket as a child of the major incident.

    Each affected person gets their own ticket under the outage, so they hear every update posted on it and their
    ticket is fixed when the outage is. Joining twice returns the ticket from the first time.
    """
    # Locking the outage serialises two clicks of the same person, so they never get two tickets.
    outage = Incident.objects.select_for_update().get(pk=outage.pk)
    if not outage.is_major or outage.state not in OPEN_STATES:
        raise IncidentError("This outage is already over. If you still have a problem, please report it.")
    existing = Incident.objects.filter(caller=user, parent=outage, state__in=OPEN_STATES).first()
    if existing is not None:
        return existing, False
    incident = lifecycle.incident_create(
        actor=user,
        caller=user,
        short_description=f"Affected by: {outage.short_description}"[:200],
        description=f'Reported with "This affects me too" on the notice about {outage.number}.',
        channel=Channel.PORTAL,
        service=outage.service,
        impact=Level.LOW,
        urgency=Level.MEDIUM,
        parent=outage,
    )
    deflection.record_reported(user=user, token=session_token, incident=incident, outcome=SessionOutcome.JOINED_MAJOR)
    return incident, True


@transaction.atomic
def add_reply(*, user: User, incident: Incident, body: str, files: Sequence = ()) -> TimelineEntry | None:
    """A public comment from the requester, with any files attached to it."""
    if not can_comment(user, incident):
        raise IncidentError("You cannot write on this ticket.", code="forbidden")
    entry = None
    if (body or "").strip():
        entry = lifecycle.incident_comment(incident=incident, actor=user, body=body, public=True)
    for upload in files:
        lifecycle.incident_attach(incident=incident, actor=user, uploaded_file=upload, entry=entry, public=True)
    return entry


def confirm_fixed(*, user: User, incident: Incident) -> Incident:
    """ "It works": the requester closes their fixed ticket."""
    if not can_act_as_caller(user, incident):
        raise IncidentError("Only the person who reported this can confirm it is fixed.", code="forbidden")
    if incident.state != State.RESOLVED:
        raise IncidentError("This ticket is not waiting for your confirmation.")
    return lifecycle.incident_transition(
        incident=incident, actor=user, to_state=State.CLOSED, reason="Confirmed fixed on the portal."
    )


def cancel_own(*, user: User, incident: Incident, reason: str = "") -> Incident:
    """The requester withdraws their own ticket while nobody has started on it."""
    if not can_cancel_as_caller(user, incident):
        raise IncidentError("This ticket can no longer be cancelled; write a reply instead.", code="forbidden")
    return lifecycle.incident_transition(
        incident=incident,
        actor=user,
        to_state=State.CANCELLED,
        reason=(reason or "").strip() or "Withdrawn on the portal: no longer needed.",
    )
