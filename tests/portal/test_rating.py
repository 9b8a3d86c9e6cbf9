"""Satisfaction rating: one click on the ticket page, or from the signed link in the resolution email."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest
from django.core.signing import TimestampSigner

from incidents.models import IncidentRating, Notification
from incidents.portal import rating
from tests import factories
from tests.portal.conftest import resolve

pytestmark = pytest.mark.django_db


def test_one_click_on_the_ticket_page_stores_the_rating(portal, resolved_incident):
    html = portal.get(f"/portal/incidents/{resolved_incident.number}/").content.decode()
    assert "How did we do?" in html
    response = portal.post(f"/portal/incidents/{resolved_incident.number}/rate/", {"score": "4", "comment": "Quick"})
    assert response.status_code == 302
    stored = IncidentRating.objects.get(incident=resolved_incident)
    assert (stored.score, stored.comment) == (4, "Quick")
    assert "You rated us 4 out of 5" in portal.get(f"/portal/incidents/{resolved_incident.number}/").content.decode()


def test_rating_again_replaces_the_first_rating(portal, resolved_incident):
    portal.post(f"/portal/incidents/{resolved_incident.number}/rate/", {"score": "2"})
    portal.post(f"/portal/incidents/{resolved_incident.number}/rate/", {"score": "5"})
    assert IncidentRating.objects.get(incident=resolved_incident).score == 5


def test_an_open_ticket_cannot_be_rated(portal, incident):
    response = portal.post(f"/portal/incidents/{incident.number}/rate/", {"score": "5"})
    assert response.status_code == 400
    assert "once it is resolved" in response.content.decode()
    assert not IncidentRating.objects.exists()


def test_a_score_outside_one_to_five_is_refused(portal, resolved_incident):
    response = portal.post(f"/portal/incidents/{resolved_incident.number}/rate/", {"score": "9"})
    assert response.status_code == 400
    assert not IncidentRating.objects.exists()


def test_the_resolution_email_carries_signed_links_that_work_signed_out(client, incident, agent):
    # given the resolution email the requester received
    resolve(incident, agent)
    message = Notification.objects.get(kind="resolved", recipient=incident.caller.email)
    link = re.search(r"http://\S+/portal/incidents/\S+/rate/\?t=\S+&score=5", message.body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    # when they open the 5 link while signed out, the score is preselected and nothing is stored yet
    page = client.get(f"/{path}")
    assert page.status_code == 200
    assert "You picked 5" in page.content.decode()
    assert not IncidentRating.objects.exists()
    # and one click on "5" sends it
    token = re.search(r"t=([^&]+)", path).group(1)
    done = client.post(f"/portal/incidents/{incident.number}/rate/", {"t": unquote(token), "score": "5"})
    assert done.status_code == 200
    assert "Thank you" in done.content.decode()
    stored = IncidentRating.objects.get(incident=incident)
    assert stored.score == 5 and stored.rated_by == incident.caller


def test_a_forged_or_foreign_link_does_not_rate_and_sends_to_sign_in(client, incident, other_requester, agent):
    resolve(incident, agent)
    forged = TimestampSigner(salt="other").sign("x")
    response = client.post(f"/portal/incidents/{incident.number}/rate/", {"t": forged, "score": "1"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    # a genuine link made for another incident is no good either
    other = factories.make_incident(caller=incident.caller)
    response = client.post(
        f"/portal/incidents/{incident.number}/rate/", {"t": rating.rating_token(other, incident.caller), "score": "1"}
    )
    assert response.status_code == 302
    assert not IncidentRating.objects.exists()


def test_a_link_made_for_someone_who_is_not_the_caller_cannot_rate(client, incident, other_requester, agent):
    resolve(incident, agent)
    token = rating.rating_token(incident, other_requester)
    page = client.get(f"/portal/incidents/{incident.number}/rate/", {"t": token, "score": "1"})
    assert "Only the person who reported this problem can rate it." in page.content.decode()
    response = client.post(f"/portal/incidents/{incident.number}/rate/", {"t": token, "score": "1"})
    assert response.status_code == 400
    assert not IncidentRating.objects.exists()


def test_an_expired_link_sends_to_sign_in(client, incident, agent, settings):
    resolve(incident, agent)
    settings.PORTAL_RATING_LINK_MAX_AGE_DAYS = -1
    token = rating.rating_token(incident, incident.caller)
    response = client.get(f"/portal/incidents/{incident.number}/rate/", {"t": token, "score": "5"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
