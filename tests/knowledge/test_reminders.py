"""Review reminders: owners are told once per overdue period, through the outbox."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from incidents.models import Notification
from knowledge import lifecycle, tasks
from knowledge.models import Article

pytestmark = pytest.mark.django_db


def overdue(article, days: int = 5):
    Article.objects.filter(pk=article.pk).update(review_by=timezone.localdate() - timedelta(days=days))
    article.refresh_from_db()
    return article


def test_an_overdue_article_reminds_its_owner_once(public_article, agent):
    article = overdue(public_article)

    first = lifecycle.articles_flag_overdue()
    second = lifecycle.articles_flag_overdue()

    assert (first, second) == (1, 0)
    notification = Notification.objects.get(key=f"kb-review-overdue:{article.pk}:{article.review_by.isoformat()}")
    assert notification.recipient == agent.email
    assert article.title in notification.subject


def test_the_beat_task_sends_the_reminder_email(public_article, agent, django_capture_on_commit_callbacks):
    overdue(public_article)

    with django_capture_on_commit_callbacks(execute=True):
        tasks.flag_overdue_reviews.delay()

    assert [m.to for m in mail.outbox] == [[agent.email]]
    assert "Review overdue" in mail.outbox[0].subject


def test_articles_not_yet_due_or_not_published_are_not_flagged(make_article):
    make_article(title="Fresh")
    draft = make_article(title="Draft", publish=False)
    Article.objects.filter(pk=draft.pk).update(review_by=timezone.localdate() - timedelta(days=1))

    assert lifecycle.articles_flag_overdue() == 0
    assert not Notification.objects.filter(key__startswith="kb-review-overdue:").exists()


def test_a_new_overdue_period_after_a_confirmation_reminds_again(public_article, agent):
    article = overdue(public_article)
    lifecycle.articles_flag_overdue()
    lifecycle.article_confirm_review(actor=agent, article=article)

    # The new review date passes too: a new period, a new reminder.
    overdue(article, days=1)
    assert lifecycle.articles_flag_overdue() == 1
    assert Notification.objects.filter(key__startswith=f"kb-review-overdue:{article.pk}:").count() == 2


def test_overdue_articles_show_a_stale_badge_to_agents_only(client, public_article, agent, requester):
    overdue(public_article)

    client.force_login(agent)
    assert "Stale" in client.get(public_article.get_absolute_url()).content.decode()
    client.force_login(requester)
    assert "Stale" not in client.get(public_article.get_absolute_url()).content.decode()
