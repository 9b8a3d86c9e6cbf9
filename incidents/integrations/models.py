"""API tokens, idempotency keys, monitoring alert dedup, alert label mappings and webhook subscriptions."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone

from incidents.choices import Level


class TokenScope(models.TextChoices):
    READ = "read", "Read only"
    WRITE = "write", "Read and write"


class ApiToken(models.Model):
    """A bearer token for integrations; only the SHA-256 of the secret is stored, the prefix identifies it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What uses it, e.g. 'Prometheus Alertmanager'.")
    prefix = models.CharField(max_length=16, db_index=True, help_text="The visible start of the token.")
    token_hash = models.CharField(max_length=64, unique=True)
    scope = models.CharField(max_length=5, choices=TokenScope.choices, default=TokenScope.READ)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and not self.is_expired

    @property
    def status(self) -> str:
        if self.revoked_at is not None:
            return "revoked"
        return "expired" if self.is_expired else "active"


class IdempotencyKey(models.Model):
    """The first successful response to a POST sent with an Idempotency-Key, replayed to retries for 24 hours."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of method, path and body.")
    response_status = models.PositiveSmallIntegerField(null=True)
    response_body = models.JSONField(null=True)
    response_headers = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_unique_user_key")]

    def __str__(self) -> str:
        return f"{self.key} ({self.user_id})"


class AlertLabelMapping(models.Model):
    """How monitoring alerts become incidents: the first active rule whose labels all match decides the fields."""

    name = models.CharField(max_length=100)
    position = models.PositiveIntegerField(default=100, help_text="Rules are tried from the lowest position up.")
    match_labels = models.JSONField(
        default=dict,
        blank=True,
        help_text='Labels that must all be equal, e.g. {"severity": "critical"}. Empty matches every alert.',
    )
    service = models.ForeignKey("incidents.Service", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    ci = models.ForeignKey(
        "incidents.ConfigurationItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    category = models.ForeignKey(
        "incidents.Category", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_team = models.ForeignKey(
        "incidents.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    service_label = models.CharField(
        max_length=60, blank=True, help_text="A label whose value names the service (used when no service is set)."
    )
    ci_label = models.CharField(
        max_length=60, blank=True, help_text="A label whose value names the CI, e.g. 'instance' (when no CI is set)."
    )
    impact = models.CharField(max_length=10, choices=Level.choices, blank=True, help_text="Empty: from severity.")
    urgency = models.CharField(max_length=10, choices=Level.choices, blank=True, help_text="Empty: from severity.")
    resolve_on_recovery = models.BooleanField(
        default=False, help_text="Resolve the incident when the alert resolves (otherwise only add a note)."
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = "alert label mapping"

    def __str__(self) -> str:
        return self.name

    def matches(self, labels: dict[str, str]) -> bool:
        return all(str(labels.get(name, "")) == str(value) for name, value in (self.match_labels or {}).items())


class AlertRecord(models.Model):
    """One alert (fingerprint or dedup key) and the incident it opened; at most one open row per key."""

    source = models.CharField(max_length=100, help_text="alertmanager, or the source named by a generic event.")
    dedup_key = models.CharField(max_length=255)
    incident = models.ForeignKey("incidents.Incident", null=True, on_delete=models.CASCADE, related_name="alerts")
    is_open = models.BooleanField(default=True)
    count = models.PositiveIntegerField(default=1, help_text="How many times it fired while open.")
    labels = models.JSONField(default=dict, blank=True)
    first_seen_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-last_seen_at", "-id"]
        constraints = [
            # Two deliveries of the same alert racing each other cannot both open an incident.
            models.UniqueConstraint(
                fields=["source", "dedup_key"], condition=models.Q(is_open=True), name="alert_one_open_per_key"
            )
        ]
        indexes = [models.Index(fields=["incident"], name="alert_incident_idx")]

    def __str__(self) -> str:
        return f"{self.source}:{self.dedup_key}"


class WebhookEvent(models.TextChoices):
    CREATED = "incident.created", "Incident created"
    UPDATED = "incident.updated", "Incident fields updated"
    STATE_CHANGED = "incident.state_changed", "State changed"
    ASSIGNED = "incident.assigned", "Assigned or escalated"
    COMMENTED = "incident.commented", "Public comment added"
    SLA_WARNING = "sla.warning", "SLA warning threshold crossed"
    SLA_BREACHED = "sla.breached", "SLA breached"


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


class WebhookSubscription(models.Model):
    """An HTTP(S) endpoint told about incident events, signed with its own secret."""

    name = models.CharField(max_length=100)
    url = models.URLField(max_length=500, help_text="http:// or https:// only.")
    events = ArrayField(models.CharField(max_length=40, choices=WebhookEvent.choices), default=list)
    secret = models.CharField(max_length=100, default=new_secret)
    is_active = models.BooleanField(default=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    disabled_reason = models.CharField(max_length=300, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_failure_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = "webhook subscription"

    def __str__(self) -> str:
        return f"{self.name} -> {self.url}"


class WebhookDelivery(models.Model):
    """Links one outbox notification to the subscription it was written for (the subscription's delivery log)."""

    subscription = models.ForeignKey(WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries")
    notification = models.OneToOneField(
        "incidents.Notification", on_delete=models.CASCADE, related_name="webhook_delivery"
    )
    event_id = models.CharField(max_length=40)
    event_type = models.CharField(max_length=40)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["subscription", "-created_at"], name="webhook_delivery_log_idx")]

    def __str__(self) -> str:
        return f"{self.event_type} {self.event_id} -> {self.subscription_id}"
