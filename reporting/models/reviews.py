"""Post-incident reviews of major incidents: what happened, why, and what we change."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.utils import timezone


class ReviewState(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    PUBLISHED = "published", "Published"


class PostIncidentReview(models.Model):
    """The analysis of one major incident; agents write drafts, managers publish."""

    incident = models.OneToOneField("incidents.Incident", on_delete=models.PROTECT, related_name="review")
    title = models.CharField(max_length=200)
    state = models.CharField(max_length=10, choices=ReviewState.choices, default=ReviewState.DRAFT)
    summary = models.TextField(blank=True)
    root_cause = models.TextField(blank=True)
    contributing_factors = models.TextField(blank=True)
    went_well = models.TextField("what went well", blank=True)
    lessons = models.TextField("lessons learned", blank=True)
    impact_notes = models.TextField(blank=True, help_text="Business impact in words, beside the measured figures.")
    impact_snapshot = models.JSONField(
        default=dict, blank=True, help_text="Measured impact frozen when the review is published."
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    search_vector = models.GeneratedField(
        expression=SearchVector("title", "summary", "root_cause", "contributing_factors", "lessons", config="english"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [GinIndex(fields=["search_vector"], name="reporting_review_search_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return f"/reports/reviews/{self.pk}/"


class ReviewHighlight(models.Model):
    """A timeline entry of the incident (or a child) marked as a key moment of the review."""

    review = models.ForeignKey(PostIncidentReview, on_delete=models.CASCADE, related_name="highlights")
    entry = models.ForeignKey("incidents.TimelineEntry", on_delete=models.CASCADE, related_name="+")
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["review", "entry"], name="reporting_highlight_unique")]

    def __str__(self) -> str:
        return f"Highlight {self.entry_id} of review {self.review_id}"


class ReviewNote(models.Model):
    """A manual timeline entry: something that happened outside the ticket (a call, a vendor's fix)."""

    review = models.ForeignKey(PostIncidentReview, on_delete=models.CASCADE, related_name="notes")
    at = models.DateTimeField()
    body = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.body[:40]}"


class ActionItem(models.Model):
    """Something a person will change so the incident does not happen again, by a date."""

    review = models.ForeignKey(PostIncidentReview, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(max_length=300)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_actions")
    due_date = models.DateField()
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [
            models.Index(
                fields=["owner", "due_date"], name="reporting_action_owner_idx", condition=models.Q(done_at=None)
            )
        ]

    def __str__(self) -> str:
        return self.description

    def is_overdue(self, today) -> bool:
        return self.done_at is None and self.due_date < today
