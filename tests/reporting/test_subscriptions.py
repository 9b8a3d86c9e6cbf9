"""Scheduled summaries: once per period through the outbox, HTML with key figures and a CSV attached."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from incidents import outbox
from incidents.models import Notification
from reporting import subscriptions
from reporting.models import ReportSubscription
from tests.reporting.helpers import create

pytestmark = pytest.mark.django_db
WEDNESDAY = datetime(2025, 3, 12, 9, 0, tzinfo=ZoneInfo("UTC"))


@pytest.fixture
def subscription(manager):
    sub = ReportSubscription.objects.create(user=manager, frequency="weekly")
    ReportSubscription.objects.filter(pk=sub.pk).update(created_at=WEDNESDAY - timedelta(days=30))
    sub.refresh_from_db()
    return sub


def test_a_weekly_summary_is_queued_once_per_week_with_html_and_csv(subscription, team):
    # given incidents created in the previous week (Monday 3 to Sunday 9 March)
    for day in (3, 5, 9):
        create(when=datetime(2025, 3, day, 10, tzinfo=ZoneInfo("UTC")), assigned_team=team)

    # when the beat task runs twice
    first = subscriptions.send_due(now=WEDNESDAY)
    second = subscriptions.send_due(now=WEDNESDAY + timedelta(hours=1))

    # then one notification, keyed by subscription and period start, with the figures and the CSV
    assert (first, second) == (1, 0)
    note = Notification.objects.get(kind="report_summary")
    assert note.key == f"report:{subscription.pk}:2025-03-03"
    assert note.recipient == subscription.user.email
    assert "2025-03-03 – 2025-03-09" in note.subject
    assert 'Created</td><td style="text-align: right;"><strong>3</strong>' in note.payload["html"]
    attachment = note.payload["attachments"][0]
    assert attachment["mimetype"] == "text/csv"
    assert attachment["content"].splitlines()[0] == "period,start,end,created,resolved,reopened,cancelled"
    assert len(attachment["content"].splitlines()) == 8


def test_even_without_the_bookkeeping_the_outbox_key_prevents_a_second_mail(subscription):
    subscriptions.send_due(now=WEDNESDAY)
    ReportSubscription.objects.filter(pk=subscription.pk).update(last_period_start=None)

    assert subscriptions.send_due(now=WEDNESDAY) == 0
    assert Notification.objects.filter(kind="report_summary").count() == 1


def test_the_summary_is_delivered_by_email_with_the_attachment(subscription):
    subscriptions.send_due(now=WEDNESDAY)
    note = Notification.objects.get(kind="report_summary")
    outbox.deliver(note.pk)
    message = mail.outbox[-1]
    assert message.to == [subscription.user.email]
    assert message.alternatives[0][1] == "text/html"
    assert message.attachments[0][0] == "incidents-2025-03-03-2025-03-09.csv"


def test_monthly_summaries_and_lost_rights_or_new_subscriptions(manager, requester):
    monthly = ReportSubscription.objects.create(user=manager, frequency="monthly")
    ReportSubscription.objects.filter(pk=monthly.pk).update(created_at=WEDNESDAY - timedelta(days=60))
    # a requester's subscription (no right to reports) sends nothing
    ReportSubscription.objects.create(user=requester, frequency="weekly")
    # a subscription made this week waits for the next finished week
    ReportSubscription.objects.create(user=manager, frequency="weekly")
    ReportSubscription.objects.filter(frequency="weekly", user=manager).update(created_at=WEDNESDAY)

    assert subscriptions.send_due(now=WEDNESDAY) == 1
    assert Notification.objects.get().key == f"report:{monthly.pk}:2025-02-01"


def test_managers_subscribe_and_unsubscribe_on_the_page(client, manager, agent):
    client.force_login(agent)
    assert client.get("/reports/subscriptions/").status_code == 403
    client.force_login(manager)
    response = client.post("/reports/subscriptions/", {"frequency": "monthly"})
    assert response.status_code == 302
    sub = ReportSubscription.objects.get(user=manager)
    assert sub.frequency == "monthly"
    assert client.post("/reports/subscriptions/", {"frequency": "daily"}).status_code == 400
    client.post(f"/reports/subscriptions/{sub.pk}/delete/")
    assert not ReportSubscription.objects.exists()
