"""Every change to a knowledge article, as one atomic function each.

draft -> in review -> published -> retired. Editing a published article starts a new draft version beside the live
one; publishing it replaces the live content. Published versions never change. Only reviewers (managers or members
of the knowledge_reviewer group) publish, send back and retire. Views, the API and tasks all call these functions.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from django.conf import settings
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.text import slugify

from incidents import outbox
from incidents.choices import EntryKind
from incidents.lifecycle import incident_record_event
from incidents.models import Category, Incident, Service, User
from knowledge import rights
from knowledge.choices import ArticleState, Audience, Decision, VersionStatus
from knowledge.dates import add_months
from knowledge.errors import KnowledgeError
from knowledge.models import Article, ArticleFeedback, ArticleIncidentLink, ArticleReview, ArticleVersion
from knowledge.rendering import plain_text
from knowledge.search import strip_marks

RESERVED_SLUGS = {"new", "review", "panel", "suggest", "preview", "search"}
MAX_KEYWORDS = 30


# --- helpers -------------------------------------------------------------------------------------------------------


def review_months() -> int:
    return int(getattr(settings, "KNOWLEDGE_REVIEW_MONTHS", 6))


def next_review_date(today: date | None = None) -> date:
    return add_months(today or timezone.localdate(), review_months())


def normalize_keywords(value: str | Iterable[str]) -> str:
    """Lower-case, comma-separated, without duplicates or blanks."""
    items = value.split(",") if isinstance(value, str) else list(value)
    seen: list[str] = []
    for item in items:
        keyword = " ".join(strip_marks(str(item)).split()).lower()[:60]
        if keyword and keyword not in seen:
            seen.append(keyword)
    if len(seen) > MAX_KEYWORDS:
        raise KnowledgeError(f"At most {MAX_KEYWORDS} keywords.", field="keywords")
    joined = ", ".join(seen)
    if len(joined) > 500:
        raise KnowledgeError("Keywords are too long (500 characters at most).", field="keywords")
    return joined


def _clean_content(*, title: str, summary: str, body: str, keywords, audience: str) -> dict:
    title = " ".join(strip_marks(title or "").split())
    body = strip_marks(body or "").strip()
    summary = strip_marks(summary or "").strip()
    if not title:
        raise KnowledgeError("Give the article a title.", field="title")
    if len(title) > 200:
        raise KnowledgeError("The title is too long (200 characters at most).", field="title")
    if not body:
        raise KnowledgeError("Write the article's body.", field="body")
    if len(body) > 200_000:
        raise KnowledgeError("The body is too long (200,000 characters at most).", field="body")
    if len(summary) > 1000:
        raise KnowledgeError("The summary is too long (1,000 characters at most).", field="summary")
    if audience not in Audience.values:
        raise KnowledgeError("Choose who may read it: everyone or agents only.", field="audience")
    return {
        "title": title,
        "summary": summary,
        "body": body,
        "keywords": normalize_keywords(keywords or ""),
        "audience": audience,
    }


def _ids(values: Iterable, model, field: str) -> list[int]:
    ids = sorted({v.pk if hasattr(v, "pk") else int(v) for v in values or []})
    if ids and model.objects.filter(pk__in=ids).count() != len(ids):
        raise KnowledgeError(f"Unknown {field}.", field=field)
    return ids


def unique_slug(title: str) -> str:
    base = slugify(title)[:200].strip("-") or "article"
    if base in RESERVED_SLUGS or base.isdigit():
        base = f"article-{base}"
    slug, n = base, 1
    while Article.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _lock(article: Article | int) -> Article:
    pk = article.pk if isinstance(article, Article) else article
    try:
        return Article.objects.select_for_update(of=("self",)).get(pk=pk)
    except Article.DoesNotExist:
        raise KnowledgeError("This article does not exist.", code="not_found") from None


def _working(article: Article) -> ArticleVersion | None:
    return article.versions.working().first()


def _apply_to_article(article: Article, version: ArticleVersion) -> None:
    """Copies a version's content onto the article (its live or, before first publication, draft content)."""
    for name in ("title", "summary", "body", "keywords", "audience"):
        setattr(article, name, getattr(version, name))
    article.body_text = plain_text(version.body)
    article.services.set(version.service_ids)
    article.categories.set(version.category_ids)


def _notify(*, key: str, user: User | None, subject: str, body: str) -> None:
    if user is None or not user.email or not user.is_active:
        return
    outbox.enqueue(key=key, kind="knowledge", recipient=user.email.strip().lower(), subject=subject, body=body)


def _link(article: Article) -> str:
    return f"{settings.SITE_URL}{article.get_absolute_url()}"


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise KnowledgeError(message, code="forbidden")


# --- drafting ------------------------------------------------------------------------------------------------------


@transaction.atomic
def article_create(
    *,
    actor: User,
    title: str,
    body: str,
    summary: str = "",
    keywords: str | Iterable[str] = "",
    audience: str = Audience.INTERNAL,
    services: Iterable = (),
    categories: Iterable = (),
    owner: User | None = None,
    source_incident: Incident | None = None,
    change_note: str = "",
) -> Article:
    """Starts a new article as a draft (version 1), owned by `owner` or the author."""
    _require(rights.can_create_article(actor), "Only agents write knowledge articles.")
    content = _clean_content(title=title, summary=summary, body=body, keywords=keywords, audience=audience)
    service_ids = _ids(services, Service, "services")
    category_ids = _ids(categories, Category, "categories")
    now = timezone.now()
    article = Article(
        slug=unique_slug(content["title"]),
        owner=owner or actor,
        created_by=actor,
        source_incident=source_incident,
        created_at=now,
        updated_at=now,
        state=ArticleState.DRAFT,
    )
    version = ArticleVersion(
        number=1,
        author=actor,
        created_at=now,
        updated_at=now,
        service_ids=service_ids,
        category_ids=category_ids,
        change_note=change_note[:300],
        **content,
    )
    for name, value in content.items():
        setattr(article, name, value)
    article.body_text = plain_text(content["body"])
    article.save()
    version.article = article
    version.save()
    article.services.set(service_ids)
    article.categories.set(category_ids)
    return article


@transaction.atomic
def article_edit(
    *,
    actor: User,
    article: Article | int,
    title: str,
    body: str,
    summary: str = "",
    keywords: str | Iterable[str] = "",
    audience: str = Audience.INTERNAL,
    services: Iterable = (),
    categories: Iterable = (),
    change_note: str = "",
    owner: User | None = None,
) -> ArticleVersion:
    """Saves the working draft; editing a published (or retired) article starts a new draft version beside it.

    Editing a version that is in review takes it back to draft: the reviewer must see what they approve.
    """
    article = _lock(article)
    _require(rights.can_edit_article(actor, article), "Only agents edit knowledge articles.")
    content = _clean_content(title=title, summary=summary, body=body, keywords=keywords, audience=audience)
    service_ids = _ids(services, Service, "services")
    category_ids = _ids(categories, Category, "categories")
    now = timezone.now()
    version = _working(article)
    if version is None:
        number = (article.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        version = ArticleVersion(article=article, number=number, created_at=now)
    for name, value in content.items():
        setattr(version, name, value)
    version.service_ids, version.category_ids = service_ids, category_ids
    version.change_note = change_note[:300]
    version.author = actor
    version.updated_at = now
    version.status = VersionStatus.DRAFT
    version.submitted_at = version.submitted_by = None
    version.save()
    fields = ["updated_at"]
    if owner is not None and owner.pk != article.owner_id:
        if not owner.is_active or not rights.is_agent(owner):
            raise KnowledgeError(f"{owner} is not an active agent.", field="owner")
        article.owner = owner
        fields.append("owner")
    if article.published_version_id is None:
        # Never published: the article itself shows the draft (agents find drafts by searching with state=draft).
        _apply_to_article(article, version)
        article.state = ArticleState.DRAFT
        fields += ["title", "summary", "body", "body_text", "keywords", "audience", "state"]
    article.updated_at = now
    article.save(update_fields=fields)
    return version


@transaction.atomic
def article_submit(*, actor: User, article: Article | int, note: str = "") -> ArticleVersion:
    """Asks a reviewer to publish the working draft."""
    article = _lock(article)
    _require(rights.can_edit_article(actor, article), "Only agents submit articles for review.")
    version = _working(article)
    if version is None:
        raise KnowledgeError("There is no draft to submit: edit the article first.")
    if version.status == VersionStatus.IN_REVIEW:
        raise KnowledgeError("This version is already waiting for review.")
    version.status = VersionStatus.IN_REVIEW
    version.submitted_at = timezone.now()
    version.submitted_by = actor
    if note:
        version.change_note = note[:300]
    version.save(update_fields=["status", "submitted_at", "submitted_by", "change_note"])
    if article.published_version_id is None:
        article.state = ArticleState.IN_REVIEW
        article.save(update_fields=["state"])
    return version


@transaction.atomic
def article_discard_draft(*, actor: User, article: Article | int) -> None:
    """Drops the pending edit of a published or retired article (kept in history as discarded)."""
    article = _lock(article)
    _require(rights.can_edit_article(actor, article), "Only agents discard drafts.")
    version = _working(article)
    if version is None:
        raise KnowledgeError("There is no draft to discard.")
    if article.published_version_id is None:
        raise KnowledgeError("This article was never published: delete it instead.")
    version.status = VersionStatus.DISCARDED
    version.save(update_fields=["status"])


@transaction.atomic
def article_delete(*, actor: User, article: Article | int) -> None:
    """Deletes an article that was never published; published ones are retired, never deleted."""
    article = _lock(article)
    _require(rights.can_delete_article(actor, article), "Only a never-published article can be deleted, by its author.")
    article.delete()


# --- review --------------------------------------------------------------------------------------------------------


@transaction.atomic
def article_publish(*, actor: User, article: Article | int, comment: str = "", at: datetime | None = None) -> Article:
    """A reviewer approves the working version: it becomes the live content and an immutable published version.

    A retired article without a pending draft is published again as its last published version.
    """
    article = _lock(article)
    _require(rights.can_publish(actor, article), "Only knowledge reviewers and managers publish articles.")
    now = at or timezone.now()
    version = _working(article)
    if version is None:
        if article.state != ArticleState.RETIRED or article.published_version_id is None:
            raise KnowledgeError("There is no draft to publish.")
        version = article.published_version
    else:
        version.status = VersionStatus.PUBLISHED
        version.published_at = now
        version.published_by = actor
        version.review_comment = comment
        version.save()
        _apply_to_article(article, version)
    article.published_version = version
    article.state = ArticleState.PUBLISHED
    article.published_at = now
    article.updated_at = now
    article.review_by = next_review_date(timezone.localdate(now))
    article.save()
    ArticleReview.objects.create(
        article=article, version=version, reviewer=actor, decision=Decision.APPROVED, comment=comment, created_at=now
    )
    if version.author_id and version.author_id != actor.pk:
        _notify(
            key=f"kb-published:{version.pk}",
            user=version.author,
            subject=f"Published: {article.title}",
            body=f"{actor} published version {version.number} of “{article.title}”.\n\n{comment}\n\n{_link(article)}\n",
        )
    return article


@transaction.atomic
def article_reject(*, actor: User, article: Article | int, comment: str) -> ArticleReview:
    """A reviewer sends the working version back to its author with a comment saying what to change."""
    article = _lock(article)
    _require(rights.can_publish(actor, article), "Only knowledge reviewers and managers review articles.")
    comment = (comment or "").strip()
    if not comment:
        raise KnowledgeError("Say what needs to change.", field="comment")
    version = _working(article)
    if version is None or version.status != VersionStatus.IN_REVIEW:
        raise KnowledgeError("There is no version waiting for review.")
    version.status = VersionStatus.DRAFT
    version.submitted_at = None
    version.save(update_fields=["status", "submitted_at"])
    if article.published_version_id is None:
        article.state = ArticleState.DRAFT
        article.save(update_fields=["state"])
    review = ArticleReview.objects.create(
        article=article, version=version, reviewer=actor, decision=Decision.REJECTED, comment=comment
    )
    _notify(
        key=f"kb-rejected:{review.pk}",
        user=version.submitted_by or version.author,
        subject=f"Changes requested: {article.title}",
        body=f"{actor} sent “{article.title}” back for changes:\n\n{comment}\n\n{_link(article)}edit/\n",
    )
    return review


@transaction.atomic
def article_retire(*, actor: User, article: Article | int, comment: str = "") -> Article:
    """Takes a published article out of search and the portal; its versions stay in history."""
    article = _lock(article)
    _require(rights.can_retire(actor, article), "Only knowledge reviewers and managers retire articles.")
    if article.state != ArticleState.PUBLISHED:
        raise KnowledgeError("Only a published article can be retired.")
    article.state = ArticleState.RETIRED
    article.updated_at = timezone.now()
    article.save(update_fields=["state", "updated_at"])
    ArticleReview.objects.create(
        article=article, version=article.published_version, reviewer=actor, decision=Decision.RETIRED, comment=comment
    )
    return article


@transaction.atomic
def article_confirm_review(*, actor: User, article: Article | int, comment: str = "") -> Article:
    """The owner or a reviewer confirms the live article is still right: a new review-by date, no new version."""
    article = _lock(article)
    _require(rights.can_confirm_review(actor, article), "Only the owner or a reviewer confirms an article.")
    if article.state != ArticleState.PUBLISHED:
        raise KnowledgeError("Only a published article has a review date.")
    article.review_by = next_review_date()
    article.save(update_fields=["review_by"])
    ArticleReview.objects.create(
        article=article, version=article.published_version, reviewer=actor, decision=Decision.REVIEWED, comment=comment
    )
    return article


def articles_flag_overdue(*, today: date | None = None, batch_size: int = 500) -> int:
    """Reminds each owner once per overdue period (one review-by date) that their article needs a review.

    The conditional update claims the reminder, so concurrent runs never both send it; the outbox key makes a
    duplicate impossible as well.
    """
    today = today or timezone.localdate()
    due = list(
        Article.objects.filter(state=ArticleState.PUBLISHED, review_by__lt=today)
        .exclude(review_notified_for=F("review_by"))
        .order_by("review_by", "pk")
        .values_list("pk", "review_by")[:batch_size]
    )
    flagged = 0
    for pk, review_by in due:
        with transaction.atomic():
            claimed = (
                Article.objects.filter(pk=pk, state=ArticleState.PUBLISHED, review_by=review_by)
                .exclude(review_notified_for=review_by)
                .update(review_notified_for=review_by)
            )
            if not claimed:
                continue
            article = Article.objects.select_related("owner", "created_by").get(pk=pk)
            _notify(
                key=f"kb-review-overdue:{pk}:{review_by.isoformat()}",
                user=article.owner or article.created_by,
                subject=f"Review overdue: {article.title}",
                body=(
                    f"“{article.title}” was due for review on {review_by:%d %b %Y}. Check it is still right, then "
                    f"confirm it (or edit it) so agents and users can trust it.\n\n{_link(article)}\n"
                ),
            )
            flagged += 1
    return flagged


# --- readers -------------------------------------------------------------------------------------------------------


def article_record_view(article_id: int) -> None:
    """Counts a view with one UPDATE (no read, no lock, no search vector work)."""
    Article.objects.filter(pk=article_id).update(view_count=F("view_count") + 1)


@transaction.atomic
def article_feedback(*, actor: User, article: Article, helpful: bool, comment: str = "") -> ArticleFeedback:
    """Records the reader's vote; voting again replaces their earlier vote and comment."""
    if not rights.can_view_article(actor, article) or article.state != ArticleState.PUBLISHED:
        raise KnowledgeError("This article does not exist.", code="not_found")
    comment = (comment or "").strip()
    if len(comment) > 2000:
        raise KnowledgeError("The comment is too long (2,000 characters at most).", field="comment")
    now = timezone.now()
    existing = ArticleFeedback.objects.select_for_update().filter(article=article, user=actor).first()
    counter = {True: "helpful_count", False: "not_helpful_count"}
    if existing is None:
        feedback = ArticleFeedback.objects.create(
            article=article,
            user=actor,
            helpful=helpful,
            comment=comment,
            version_number=article.published_version.number if article.published_version_id else None,
            created_at=now,
            updated_at=now,
        )
        Article.objects.filter(pk=article.pk).update(**{counter[helpful]: F(counter[helpful]) + 1})
        return feedback
    if existing.helpful != helpful:
        Article.objects.filter(pk=article.pk).update(
            **{counter[helpful]: F(counter[helpful]) + 1, counter[existing.helpful]: F(counter[existing.helpful]) - 1}
        )
    existing.helpful, existing.comment, existing.updated_at = helpful, comment, now
    existing.save(update_fields=["helpful", "comment", "updated_at"])
    return existing


@transaction.atomic
def article_link_incident(*, actor: User, article: Article, incident: Incident) -> tuple[ArticleIncidentLink, bool]:
    """“This article solved it”: links the article to the incident, notes it on the timeline, counts it."""
    _require(rights.can_link_incident(actor), "Only agents link articles to incidents.")
    if article.state != ArticleState.PUBLISHED:
        raise KnowledgeError("Only a published article can be linked.", field="article")
    link, created = ArticleIncidentLink.objects.get_or_create(
        article=article, incident=incident, defaults={"linked_by": actor}
    )
    if created:
        Article.objects.filter(pk=article.pk).update(solved_count=F("solved_count") + 1)
        incident_record_event(
            incident=incident,
            kind=EntryKind.KNOWLEDGE,
            actor=actor,
            body=f"Knowledge article “{article.title}” solved it.",
            data={"article_id": article.pk, "slug": article.slug, "title": article.title},
        )
    return link, created
