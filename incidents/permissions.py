"""Who may do what: the one module that pages and API endpoints ask."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q, QuerySet

from incidents.choices import Role, State

if TYPE_CHECKING:
    from incidents.models import Incident, User

AGENT_ROLES = {Role.AGENT, Role.MANAGER, Role.ADMIN}
MANAGER_ROLES = {Role.MANAGER, Role.ADMIN}


def _roles(user) -> set[str]:
    if not user or not user.is_authenticated:
        return set()
    cached = getattr(user, "_itsm_roles", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._itsm_roles = cached
    return cached


def is_agent(user) -> bool:
    """Agents, managers and admins work incidents."""
    if not user or not user.is_authenticated:
        return False
    return user.is_superuser or bool(_roles(user) & AGENT_ROLES)


def is_manager(user) -> bool:
    """Managers and admins configure the desk and see dashboards."""
    if not user or not user.is_authenticated:
        return False
    return user.is_superuser or bool(_roles(user) & MANAGER_ROLES)


def is_admin(user) -> bool:
    if not user or not user.is_authenticated:
        return False
    return user.is_superuser or Role.ADMIN in _roles(user)


def is_requester(user) -> bool:
    """Anyone signed in who is not an agent is treated as a requester."""
    return bool(user and user.is_authenticated) and not is_agent(user)


def visible_incidents(user, queryset: QuerySet | None = None) -> QuerySet:
    """The incidents `user` may see: all for agents; own, watched and (for designated contacts) the organization's."""
    from incidents.models import Incident

    qs = queryset if queryset is not None else Incident.objects.all()
    if is_agent(user):
        return qs
    if not user or not user.is_authenticated:
        return qs.none()
    watched = Incident.watchers.through.objects.filter(incident_id=OuterRef("pk"), user_id=user.pk)
    rule = Q(caller_id=user.pk) | Exists(watched)
    if user.is_org_contact and user.organization_id:
        rule |= Q(organization_id=user.organization_id)
    return qs.filter(rule)


def can_view_incident(user, incident: Incident) -> bool:
    if is_agent(user):
        return True
    if not user or not user.is_authenticated:
        return False
    if incident.caller_id == user.pk:
        return True
    if user.is_org_contact and user.organization_id and incident.organization_id == user.organization_id:
        return True
    return incident.watchers.filter(pk=user.pk).exists()


def can_work_incident(user, incident: Incident | None = None) -> bool:
    """Change fields, state, assignment; add work notes."""
    return is_agent(user)


def can_comment(user, incident: Incident) -> bool:
    return can_view_incident(user, incident)


def can_see_work_notes(user) -> bool:
    return is_agent(user)


def can_act_as_caller(user: User, incident: Incident) -> bool:
    """Confirm, reopen and rate: the caller (or a designated contact of the same organization)."""
    if not user or not user.is_authenticated:
        return False
    if incident.caller_id == user.pk:
        return True
    return bool(user.is_org_contact and user.organization_id and incident.organization_id == user.organization_id)


def can_cancel_as_caller(user: User, incident: Incident) -> bool:
    """A caller may withdraw their own incident while nobody has started on it."""
    return can_act_as_caller(user, incident) and incident.state == State.NEW


def can_configure(user) -> bool:
    """Teams, services, SLA policies, calendars, the priority matrix."""
    return is_manager(user)


# --- Reporting (added by the reporting area) ----------------------------------------------------------------------


def can_view_reports(user) -> bool:
    """Dashboards, metric exports, the reports API and summary subscriptions: managers and admins."""
    return is_manager(user)


def can_write_review(user) -> bool:
    """Post-incident reviews: agents create them and edit drafts and reviews in review."""
    return is_agent(user)


def can_publish_review(user) -> bool:
    """Publishing a post-incident review (and taking a published one back to draft): managers and admins."""
    return is_manager(user)
