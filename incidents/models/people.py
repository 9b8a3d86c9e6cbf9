"""People: the user model every channel shares (requesters, agents, managers, admins)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Upper


class User(AbstractUser):
    """A person who reports or works incidents; the role comes from the groups they belong to."""

    organization = models.ForeignKey(
        "incidents.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    is_org_contact = models.BooleanField(
        "designated contact", default=False, help_text="Sees every incident of their organization on the portal."
    )
    phone = models.CharField(max_length=40, blank=True)
    time_zone = models.CharField(
        max_length=64, blank=True, help_text="IANA zone for showing times, e.g. Europe/Warsaw."
    )

    class Meta:
        indexes = [models.Index(Upper("email"), name="user_email_upper_idx")]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username
