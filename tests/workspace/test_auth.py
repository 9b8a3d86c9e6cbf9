"""Signing in and out, changing and resetting a password, and the lockout page."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from tests.factories import PASSWORD


def test_the_login_page_has_labelled_fields(db):
    html = Client().get("/accounts/login/").content.decode()
    assert '<label for="id_username">' in html and '<label for="id_password">' in html
    assert 'autocomplete="current-password"' in html


def test_an_agent_signs_in_and_lands_on_the_queue(agent):
    client = Client()
    response = client.post("/accounts/login/", {"username": agent.username, "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/incidents/"


def test_a_wrong_password_is_said_plainly(agent):
    response = Client().post("/accounts/login/", {"username": agent.username, "password": "nope"})
    assert response.status_code == 200
    assert b"Please enter a correct username and password" in response.content


def test_signing_in_returns_to_the_page_asked_for(agent, incident):
    client = Client()
    response = client.post(
        "/accounts/login/",
        {"username": agent.username, "password": PASSWORD, "next": f"/incidents/{incident.number}/"},
    )
    assert response["Location"] == f"/incidents/{incident.number}/"


def test_signing_out_ends_the_session(agent_client):
    response = agent_client.post("/accounts/logout/")
    assert response.status_code == 302
    assert agent_client.get("/incidents/").status_code == 302


def test_changing_the_password_checks_the_old_one(agent_client, agent):
    response = agent_client.post(
        "/accounts/password_change/",
        {"old_password": "wrong", "new_password1": "a-much-better-pass-42", "new_password2": "a-much-better-pass-42"},
    )
    assert response.status_code == 200
    assert b"Your old password was entered incorrectly" in response.content
    response = agent_client.post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": "a-much-better-pass-42", "new_password2": "a-much-better-pass-42"},
    )
    assert response["Location"] == "/accounts/password_change/done/"
    agent.refresh_from_db()
    assert agent.check_password("a-much-better-pass-42")


def test_a_password_reset_link_arrives_by_email_and_sets_a_new_password(agent):
    client = Client()
    response = client.post("/accounts/password_reset/", {"email": agent.email})
    assert response["Location"] == "/accounts/password_reset/done/"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Reset your Service Desk password"
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    assert b"Choose a new password" in form.content
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": "brand-new-pass-77", "new_password2": "brand-new-pass-77"}
    )
    assert done["Location"] == "/accounts/reset/done/"
    agent.refresh_from_db()
    assert agent.check_password("brand-new-pass-77")


def test_a_used_reset_link_explains_itself(db):
    response = Client().get("/accounts/reset/MQ/bad-token/")
    assert b"This link does not work any more" in response.content


@pytest.fixture
def axes_on(settings):
    from axes.models import AccessAttempt

    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    yield
    AccessAttempt.objects.all().delete()


def test_repeated_failed_sign_ins_lock_the_account_with_a_clear_page(agent, axes_on):
    client = Client()
    for _ in range(3):
        response = client.post("/accounts/login/", {"username": agent.username, "password": "wrong"})
    response = client.post("/accounts/login/", {"username": agent.username, "password": PASSWORD})
    assert response.status_code == 429
    assert b"Too many failed sign-ins" in response.content
    assert b"reset your password by email" in response.content


def test_session_cookies_are_http_only_and_same_site(settings):
    assert settings.SESSION_COOKIE_HTTPONLY is True
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert settings.CSRF_COOKIE_HTTPONLY is True
