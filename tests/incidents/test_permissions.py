"""The rights module: who sees and changes which incident."""

import pytest

from incidents import lifecycle, permissions
from incidents.models import Incident
from tests.factories import RequesterFactory, make_incident

pytestmark = pytest.mark.django_db


def test_agents_see_every_incident_and_requesters_only_their_own(incident, agent, requester, other_requester):
    assert permissions.can_view_incident(agent, incident)
    assert permissions.can_view_incident(requester, incident)
    assert not permissions.can_view_incident(other_requester, incident)
    assert list(permissions.visible_incidents(other_requester)) == []
    assert list(permissions.visible_incidents(requester)) == [incident]


def test_a_watcher_sees_the_incident_once(incident, agent, other_requester):
    lifecycle.incident_watch(incident=incident, actor=agent, user=other_requester)
    assert permissions.can_view_incident(other_requester, incident)
    assert list(permissions.visible_incidents(other_requester)) == [incident]


def test_a_designated_contact_sees_the_organizations_incidents(incident, requester):
    colleague = RequesterFactory(username="contact", organization=requester.organization, is_org_contact=True)
    outsider = RequesterFactory(username="outsider", organization=requester.organization)
    assert permissions.can_view_incident(colleague, incident)
    assert not permissions.can_view_incident(outsider, incident)
    assert permissions.visible_incidents(colleague).filter(pk=incident.pk).exists()


def test_anonymous_users_see_nothing(incident):
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()
    assert not permissions.can_view_incident(anonymous, incident)
    assert permissions.visible_incidents(anonymous).count() == 0
    assert not permissions.is_agent(anonymous)


def test_roles(agent, manager, admin_user, requester):
    assert [permissions.is_agent(u) for u in (requester, agent, manager, admin_user)] == [False, True, True, True]
    assert [permissions.is_manager(u) for u in (requester, agent, manager, admin_user)] == [False, False, True, True]
    assert permissions.can_configure(manager) and not permissions.can_configure(agent)


def test_only_the_caller_may_cancel_their_new_incident(incident, requester, other_requester):
    assert permissions.can_cancel_as_caller(requester, incident)
    assert not permissions.can_cancel_as_caller(other_requester, incident)
    assert Incident.objects.filter(pk=make_incident(caller=requester).pk).exists()
