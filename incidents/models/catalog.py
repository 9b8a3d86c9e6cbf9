"""What a service desk configures on day one: customers, teams, services, CIs, categories, the priority matrix."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from incidents.choices import Level, Priority


class Organization(models.Model):
    """A customer company whose people report incidents."""

    name = models.CharField(max_length=200, unique=True)
    email_domain = models.CharField(max_length=200, blank=True, help_text="Mail from this domain belongs here.")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    """An assignment group: agents who work incidents together."""

    name = models.CharField(max_length=120, unique=True)
    email = models.EmailField(blank=True)
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="managed_teams"
    )
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="teams")
    escalation_team = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Where a functional escalation sends this team's incidents.",
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Service(models.Model):
    """A business or technical service that incidents affect."""

    name = models.CharField(max_length=120, unique=True)
    portal_name = models.CharField(max_length=120, blank=True, help_text="Friendly name shown to end users.")
    description = models.TextField(blank=True)
    owner_team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="services")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def friendly_name(self) -> str:
        return self.portal_name or self.name


class ConfigurationItem(models.Model):
    """A configuration item (server, application, device) that belongs to a service."""

    name = models.CharField(max_length=120)
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="cis")
    kind = models.CharField(max_length=60, blank=True, help_text="server, application, network device, ...")
    owner_team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="cis")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "configuration item"
        constraints = [models.UniqueConstraint(fields=["service", "name"], name="ci_unique_name_per_service")]

    def __str__(self) -> str:
        return self.name


class Category(models.Model):
    """A category, or a subcategory when it has a parent; may route to a default team."""

    name = models.CharField(max_length=120)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    default_team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["parent__name", "name"]
        verbose_name_plural = "categories"
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="category_unique_name_per_parent"),
            models.UniqueConstraint(
                fields=["name"], condition=models.Q(parent__isnull=True), name="category_unique_top_level_name"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.parent.name} / {self.name}" if self.parent_id else self.name

    def routing_team(self) -> Team | None:
        """The default team of this category, else of its parent."""
        if self.default_team_id:
            return self.default_team
        return self.parent.routing_team() if self.parent_id else None


class PriorityRule(models.Model):
    """One cell of the impact x urgency priority matrix."""

    impact = models.CharField(max_length=10, choices=Level.choices)
    urgency = models.CharField(max_length=10, choices=Level.choices)
    priority = models.PositiveSmallIntegerField(choices=Priority.choices)

    class Meta:
        ordering = ["impact", "urgency"]
        verbose_name = "priority matrix cell"
        constraints = [models.UniqueConstraint(fields=["impact", "urgency"], name="priority_rule_unique_cell")]

    def __str__(self) -> str:
        return f"{self.get_impact_display()} impact x {self.get_urgency_display()} urgency = P{self.priority}"
