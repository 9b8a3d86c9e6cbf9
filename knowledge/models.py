"""Knowledge articles, their immutable published versions, review decisions, feedback and incident links.

Never change an article's content or state directly: every write goes through knowledge.lifecycle.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone

from knowledge.choices import ArticleState, Audience, Decision, VersionStatus

WORKING_STATUSES = (VersionStatus.DRAFT, VersionStatus.IN_REVIEW)


class Article(models.Model):
    """A knowledge article: the live (published) content plus its metadata, counters and search vector.

    Before the first publication the content fields hold the draft; afterwards they hold the published version and
    pending edits live in a working ArticleVersion until a reviewer publishes them.
    """

    slug = models.SlugField(max_length=220, unique=True)
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True, help_text="One or two sentences: the symptom and the fix.")
    body = models.TextField(help_text="Markdown.")
    body_text = models.TextField(blank=True, editable=False, help_text="The body as plain text, for search.")
    keywords = models.CharField(max_length=500, blank=True, help_text="Comma-separated.")
    audience = models.CharField(max_length=10, choices=Audience.choices, default=Audience.INTERNAL)
    state = models.CharField(max_length=10, choices=ArticleState.choices, default=ArticleState.DRAFT)
    services = models.ManyToManyField("incidents.Service", blank=True, related_name="articles")
    categories = models.ManyToManyField("incidents.Category", blank=True, related_name="articles")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="owned_articles"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source_incident = models.ForeignKey(
        "incidents.Incident", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_version = models.ForeignKey(
        "knowledge.ArticleVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now, db_index=True)
    published_at = models.DateTimeField(null=True, blank=True)
    review_by = models.DateField(null=True, blank=True, help_text="When the owner must confirm it is still right.")
    review_notified_for = models.DateField(
        null=True, blank=True, editable=False, help_text="The review-by date the owner was last reminded of."
    )
    view_count = models.PositiveIntegerField(default=0)
    helpful_count = models.PositiveIntegerField(default=0)
    not_helpful_count = models.PositiveIntegerField(default=0)
    solved_count = models.PositiveIntegerField(default=0)
    # Kept current by Article.save() from the values being saved (see knowledge.search.vector_from_values): the full
    # weighted vector, and a small one over title, keywords and summary that ranks the first candidates cheaply.
    search_vector = SearchVectorField(null=True, editable=False)
    head_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["-updated_at"]
        indexes = [
            GinIndex(fields=["search_vector"], name="kb_article_search_idx"),
            GinIndex(fields=["head_vector"], name="kb_article_head_idx"),
            GinIndex(fields=["title"], opclasses=["gin_trgm_ops"], name="kb_article_title_trgm"),
            GinIndex(fields=["keywords"], opclasses=["gin_trgm_ops"], name="kb_article_keywords_trgm"),
            models.Index(fields=["state", "audience", "-updated_at"], name="kb_article_state_idx"),
            models.Index(
                fields=["review_by"], name="kb_article_review_idx", condition=models.Q(state=ArticleState.PUBLISHED)
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        from knowledge.search import CONTENT_FIELDS, head_vector_from_values, remember_terms, vector_from_values

        update_fields = kwargs.get("update_fields")
        content_changed = update_fields is None or bool(set(update_fields) & set(CONTENT_FIELDS))
        if content_changed:
            # The vectors are computed by Postgres from the very values written in this statement.
            self.search_vector = vector_from_values(self)
            self.head_vector = head_vector_from_values(self)
            if update_fields is not None:
                kwargs["update_fields"] = sorted({*update_fields, "search_vector", "head_vector"})
        super().save(*args, **kwargs)
        if content_changed:
            # Drop the expressions; reading the attributes again loads the stored vectors.
            self.__dict__.pop("search_vector", None)
            self.__dict__.pop("head_vector", None)
            remember_terms(self)

    def get_absolute_url(self) -> str:
        return f"/knowledge/articles/{self.slug}/"

    @property
    def keyword_list(self) -> list[str]:
        return [k.strip() for k in self.keywords.split(",") if k.strip()]

    @property
    def is_published(self) -> bool:
        return self.state == ArticleState.PUBLISHED

    def is_stale(self, today: date | None = None) -> bool:
        """Published and past its review-by date."""
        today = today or timezone.localdate()
        return self.state == ArticleState.PUBLISHED and self.review_by is not None and self.review_by < today

    @property
    def helpful_percent(self) -> int | None:
        votes = self.helpful_count + self.not_helpful_count
        return round(100 * self.helpful_count / votes) if votes else None


class SearchTerm(models.Model):
    """A word of some article's title, keywords or summary: the vocabulary misspelt query words are corrected to."""

    word = models.CharField(max_length=60, unique=True)

    class Meta:
        indexes = [GinIndex(fields=["word"], opclasses=["gin_trgm_ops"], name="kb_term_word_trgm")]

    def __str__(self) -> str:
        return self.word


class ArticleVersionQuerySet(models.QuerySet):
    def working(self):
        return self.filter(status__in=WORKING_STATUSES)


class ArticleVersion(models.Model):
    """One version of an article's content; once published it never changes (a database trigger enforces it)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    body = models.TextField()
    keywords = models.CharField(max_length=500, blank=True)
    audience = models.CharField(max_length=10, choices=Audience.choices, default=Audience.INTERNAL)
    service_ids = models.JSONField(default=list, blank=True)
    category_ids = models.JSONField(default=list, blank=True)
    change_note = models.CharField(max_length=300, blank=True, help_text="What changed and why.")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_comment = models.TextField(blank=True, help_text="The publishing reviewer's comment.")

    objects = ArticleVersionQuerySet.as_manager()

    class Meta:
        ordering = ["article", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="kb_version_unique_number"),
            models.UniqueConstraint(
                fields=["article"],
                condition=models.Q(status__in=["draft", "in_review"]),
                name="kb_version_one_working_copy",
            ),
        ]
        indexes = [
            models.Index(
                fields=["submitted_at"], name="kb_version_review_queue_idx", condition=models.Q(status="in_review")
            )
        ]

    def __str__(self) -> str:
        return f"{self.article_id} v{self.number} ({self.status})"

    def save(self, *args, **kwargs):
        if self.pk and type(self).objects.filter(pk=self.pk, status=VersionStatus.PUBLISHED).exists():
            raise PermissionDenied("A published version never changes; edit the article to start a new version.")
        super().save(*args, **kwargs)

    @property
    def is_working(self) -> bool:
        return self.status in WORKING_STATUSES


class ArticleReview(models.Model):
    """A reviewer's decision on a version (approve, send back, retire, confirm still accurate) with their comment."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="reviews")
    version = models.ForeignKey(ArticleVersion, null=True, blank=True, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decision = models.CharField(max_length=10, choices=Decision.choices)
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} by {self.reviewer_id}"


class ArticleFeedback(models.Model):
    """One reader's vote (helpful or not) on an article, with an optional comment; voting again replaces it."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="feedback")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    version_number = models.PositiveIntegerField(null=True, blank=True)
    helpful = models.BooleanField()
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-updated_at"]
        constraints = [models.UniqueConstraint(fields=["article", "user"], name="kb_feedback_one_per_user")]

    def __str__(self) -> str:
        return f"{'helpful' if self.helpful else 'not helpful'} from {self.user_id}"


class ArticleIncidentLink(models.Model):
    """This article solved that incident (an agent said so from the suggestions panel)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="incident_links")
    incident = models.ForeignKey("incidents.Incident", on_delete=models.CASCADE, related_name="knowledge_links")
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["article", "incident"], name="kb_link_unique")]

    def __str__(self) -> str:
        return f"{self.article_id} solved {self.incident_id}"
