"""Fixtures of the knowledge tests: a reviewer, articles in each state, the published corpus."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from knowledge import lifecycle
from knowledge.choices import REVIEWER_GROUP, Audience
from knowledge.demo import load_corpus
from tests import factories


@pytest.fixture
def reviewer(db):
    """An agent who may publish: a member of the knowledge_reviewer group."""
    user = factories.AgentFactory(username="rita")
    user.groups.add(Group.objects.get_or_create(name=REVIEWER_GROUP)[0])
    return user


@pytest.fixture
def make_article(agent, reviewer):
    """Creates an article through the lifecycle; publish=True takes it through review."""

    def make(*, publish: bool = True, audience: str = Audience.PUBLIC, author=None, **fields):
        fields.setdefault("title", "Printer jams on floor 2")
        fields.setdefault("summary", "Clear the jam and check the tray.")
        fields.setdefault("body", "Open door **B** and pull the paper out slowly.")
        fields.setdefault("keywords", "printer, jam")
        article = lifecycle.article_create(actor=author or agent, audience=audience, **fields)
        if publish:
            lifecycle.article_submit(actor=author or agent, article=article)
            article = lifecycle.article_publish(actor=reviewer, article=article, comment="ok")
        article.refresh_from_db()
        return article

    return make


@pytest.fixture
def public_article(make_article):
    return make_article(title="Clear a printer jam", audience=Audience.PUBLIC)


@pytest.fixture
def internal_article(make_article):
    return make_article(title="Restart the print spooler", audience=Audience.INTERNAL, keywords="spooler")


@pytest.fixture
def draft_article(make_article):
    return make_article(title="Draft about printer toner", publish=False, audience=Audience.PUBLIC)


@pytest.fixture
def corpus(db, agent, reviewer):
    """The 47 realistic articles of knowledge.corpus, published."""
    return load_corpus(author=agent, reviewer=reviewer)
