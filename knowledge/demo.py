"""Demo knowledge: the corpus of realistic service desk articles, published, with a little history and feedback.

Idempotent: an article whose slug exists is left alone. seed_demo calls seed(stdout=...) after incidents.demo.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from incidents import outbox
from incidents.choices import Role
from incidents.models import Category, Service, User
from knowledge import lifecycle
from knowledge.choices import REVIEWER_GROUP
from knowledge.corpus import ARTICLES
from knowledge.models import Article


def _category(path: str) -> Category:
    parent_name, _, child_name = path.partition("/")
    parent = Category.objects.get_or_create(name=parent_name, parent=None)[0]
    return Category.objects.get_or_create(name=child_name, parent=parent)[0] if child_name else parent


def _slug(entry: dict) -> str:
    return f"kb-{entry['key']}"


@transaction.atomic
def load_corpus(*, author: User, reviewer: User, publish: bool = True, entries: list[dict] | None = None) -> list:
    """Creates (and publishes) the corpus articles that don't exist yet; returns every corpus article."""
    articles = []
    for entry in entries or ARTICLES:
        existing = Article.objects.filter(slug=_slug(entry)).first()
        if existing is not None:
            articles.append(existing)
            continue
        service = Service.objects.get_or_create(name=entry["service"])[0]
        article = lifecycle.article_create(
            actor=author,
            title=entry["title"],
            summary=entry["summary"],
            body=entry["body"],
            keywords=entry["keywords"],
            audience=entry["audience"],
            services=[service],
            categories=[_category(entry["category"])],
        )
        # Stable, readable slugs let the labelled search set and the docs refer to articles.
        Article.objects.filter(pk=article.pk).update(slug=_slug(entry))
        article.slug = _slug(entry)
        if publish:
            lifecycle.article_submit(actor=author, article=article)
            article = lifecycle.article_publish(actor=reviewer, article=article, comment="Checked against the runbook.")
        articles.append(article)
    return articles


def seed(*, stdout) -> None:
    """Publishes the corpus as demo articles, makes one agent a reviewer and leaves one article overdue for review."""
    author = User.objects.filter(username="agent").first() or User.objects.filter(groups__name=Role.AGENT).first()
    reviewer = User.objects.filter(username="manager").first() or User.objects.filter(is_superuser=True).first()
    if author is None or reviewer is None:
        stdout.write("knowledge: no demo agent or manager yet, skipping the demo articles")
        return
    reviewer_agent = User.objects.filter(username="lena.fischer").first()
    if reviewer_agent is not None:
        reviewer_agent.groups.add(Group.objects.get_or_create(name=REVIEWER_GROUP)[0])
    before = Article.objects.count()
    with outbox.suppressed():
        articles = load_corpus(author=author, reviewer=reviewer)
        created = Article.objects.count() - before
        if created:
            _add_history(articles, author=author, reviewer=reviewer)
    stdout.write(f"knowledge: {created} demo articles added ({len(articles)} in the corpus)")


def _add_history(articles: list, *, author: User, reviewer: User) -> None:
    """A second published version, a pending edit, feedback, and one article past its review date."""
    by_slug = {a.slug: a for a in articles}
    vpn = by_slug.get("kb-vpn-connect-home")
    if vpn is not None:
        lifecycle.article_edit(
            actor=author,
            article=vpn,
            title=vpn.title,
            summary=vpn.summary,
            body=vpn.body + "\n\nOn a Mac the icon is in the menu bar at the top right.",
            keywords=vpn.keywords + ", mac",
            audience=vpn.audience,
            services=vpn.services.all(),
            categories=vpn.categories.all(),
            change_note="Added the Mac menu bar location.",
        )
        lifecycle.article_submit(actor=author, article=vpn)
        lifecycle.article_publish(actor=reviewer, article=vpn, comment="Good addition.")
    jam = by_slug.get("kb-printer-jam")
    if jam is not None:
        lifecycle.article_edit(
            actor=author,
            article=jam,
            title=jam.title,
            summary=jam.summary,
            body=jam.body.replace("one working day", "four working hours"),
            keywords=jam.keywords,
            audience=jam.audience,
            services=jam.services.all(),
            categories=jam.categories.all(),
            change_note="New vendor contract: four-hour response.",
        )
        lifecycle.article_submit(actor=author, article=jam)
    requesters = list(User.objects.filter(groups__name=Role.REQUESTER)[:4])
    for number, article in enumerate(a for a in articles if a.audience == "public"):
        for index, user in enumerate(requesters):
            if (number + index) % 3 == 0:
                continue
            helpful = (number + index) % 5 != 0
            comment = "" if helpful else "Did not cover my case."
            lifecycle.article_feedback(actor=user, article=article, helpful=helpful, comment=comment)
        Article.objects.filter(pk=article.pk).update(view_count=20 + (number * 37) % 400)
    overdue = by_slug.get("kb-erp-period-locked")
    if overdue is not None:
        Article.objects.filter(pk=overdue.pk).update(review_by=timezone.localdate() - timedelta(days=12))
