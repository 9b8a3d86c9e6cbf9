"""Deflection: a report form abandoned after a suggestion was opened from it counts once the window has passed."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from incidents.choices import Level
from incidents.portal import deflection
from incidents.portal.choices import SessionOutcome
from incidents.portal.models import Deflection, ReportSession
from tests import factories

pytestmark = pytest.mark.django_db
ARTICLE = "/knowledge/articles/reset-your-password/"


def _open(portal, token, target=ARTICLE):
    return portal.get("/portal/report/open/", {"s": token, "to": target, "q": "password expired"})


def test_opening_a_suggestion_records_it_and_goes_to_the_article(portal):
    token = str(uuid.uuid4())
    response = _open(portal, token)
    assert response.status_code == 302 and response["Location"] == ARTICLE
    session = ReportSession.objects.get(token=token)
    assert session.opens.get().target == ARTICLE
    assert session.query == "password expired"


def test_the_tracker_refuses_to_redirect_anywhere_else(portal):
    for target in (
        "https://evil.example/knowledge/articles/x/",
        "//evil.example/",
        "/admin/",
        "/knowledge/articles//evil",
    ):
        assert _open(portal, str(uuid.uuid4()), target).status_code == 400
    assert not ReportSession.objects.exists()


def test_an_abandoned_form_counts_as_a_deflection_after_the_window(portal, settings):
    token = str(uuid.uuid4())
    _open(portal, token)
    # not yet: the window is still running
    assert deflection.decide_sessions() == {"deflected": 0, "reported_elsewhere": 0}
    later = timezone.now() + timedelta(minutes=settings.PORTAL_DEFLECTION_WINDOW_MINUTES + 1)
    assert deflection.decide_sessions(now=later)["deflected"] == 1
    assert Deflection.objects.count() == 1
    # deciding again changes nothing
    assert deflection.decide_sessions(now=later)["deflected"] == 0


def test_submitting_the_same_form_is_not_a_deflection(portal):
    token = str(uuid.uuid4())
    _open(portal, token)
    portal.post(
        "/portal/report/", {"short_description": "Password expired", "how_bad": Level.HIGH, "session_token": token}
    )
    assert ReportSession.objects.get(token=token).outcome == SessionOutcome.SUBMITTED
    later = timezone.now() + timedelta(hours=2)
    assert deflection.decide_sessions(now=later)["deflected"] == 0


def test_reporting_another_way_within_the_window_is_not_a_deflection(portal, requester):
    token = str(uuid.uuid4())
    _open(portal, token)
    factories.make_incident(caller=requester)  # e.g. they phoned the desk or used a fresh form
    later = timezone.now() + timedelta(hours=2)
    assert deflection.decide_sessions(now=later) == {"deflected": 0, "reported_elsewhere": 1}


def test_joining_an_outage_from_the_form_settles_the_session(portal, outage):
    token = str(uuid.uuid4())
    _open(portal, token, f"/portal/status/{outage.number}/?s={token}")
    portal.post(f"/portal/status/{outage.number}/me-too/", {"session_token": token})
    assert ReportSession.objects.get(token=token).outcome == SessionOutcome.JOINED_MAJOR


def test_a_token_of_someone_else_is_ignored(portal, other_requester):
    token = uuid.uuid4()
    ReportSession.objects.create(token=token, user=other_requester, started_at=timezone.now())
    _open(portal, str(token))
    assert not ReportSession.objects.get(token=token).opens.exists()


def test_stats_count_each_outcome(portal):
    for _ in range(2):
        _open(portal, str(uuid.uuid4()))
    later = timezone.now() + timedelta(hours=2)
    deflection.decide_sessions(now=later)
    stats = deflection.deflection_stats(start=later - timedelta(minutes=1), end=later + timedelta(minutes=1))
    assert stats["deflected"] == 2 and stats["with_suggestion_opened"] == 2
