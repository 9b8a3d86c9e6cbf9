"""Managing webhook subscriptions: URL rules, switching on and off, deleting, testing, rotating the secret."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.db import transaction
from rest_framework.exceptions import ValidationError

from incidents import outbox
from incidents.integrations import webhooks
from incidents.integrations.models import WebhookDelivery, WebhookSubscription, new_secret
from incidents.models import User


def clean_url(url: str) -> str:
    """Only http(s) URLs with a host; raises a field error otherwise."""
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError("Give an http:// or https:// URL.")
    if parts.username or parts.password:
        raise ValidationError("Put no credentials in the URL; verify the signature instead.")
    return url


def save_changes(serializer) -> WebhookSubscription:
    """Saves edits; switching a subscription back on clears its failure count, switching it off stops retries."""
    was_active = serializer.instance.is_active
    sub = serializer.save()
    if sub.is_active and not was_active:
        sub.consecutive_failures = 0
        sub.disabled_reason = ""
        sub.save(update_fields=["consecutive_failures", "disabled_reason"])
    elif was_active and not sub.is_active:
        webhooks.give_up_pending(sub.pk, reason="The subscription was switched off.")
    return sub


@transaction.atomic
def delete(sub: WebhookSubscription) -> None:
    webhooks.give_up_pending(sub.pk, reason="The subscription was deleted.")
    sub.delete()


def test(sub: WebhookSubscription, *, actor: User) -> WebhookDelivery:
    """Queues a ping for this subscription and delivers it right away, so the page can show the result."""
    notification = webhooks.send_test_event(sub, actor=actor)
    outbox.deliver(notification.pk)
    return WebhookDelivery.objects.select_related("notification").get(notification=notification)


def rotate_secret(sub: WebhookSubscription) -> WebhookSubscription:
    sub.secret = new_secret()
    sub.save(update_fields=["secret", "updated_at"])
    return sub
