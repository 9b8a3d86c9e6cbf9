"""Saved views of the agent queue: a name and the filter/sort query string it stands for."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class SavedView(models.Model):
    """A queue filter an agent saved, for themselves or shared with every agent."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_views")
    name = models.CharField(max_length=80)
    query = models.CharField(max_length=2000, blank=True, help_text="The queue's query string (filters and sort).")
    shared = models.BooleanField(default=False, help_text="Every agent sees a shared view in their list.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="saved_view_unique_name_per_owner")]
        indexes = [models.Index(fields=["shared"], name="saved_view_shared_idx", condition=models.Q(shared=True))]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return f"/incidents/?view={self.pk}"
