"""Pages: a user's API tokens (/account/tokens/) and webhook subscriptions for managers (/integrations/webhooks/)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from incidents.errors import IncidentError
from incidents.integrations import subscriptions
from incidents.integrations.forms import TokenForm, WebhookForm
from incidents.integrations.models import ApiToken, WebhookSubscription
from incidents.integrations.tokens import token_issue, token_revoke
from incidents.permissions import is_manager

DELIVERY_LOG_SIZE = 50


@login_required
def tokens(request):
    """Lists your tokens and creates one; the secret is shown on this page once and never again."""
    form = TokenForm(request.POST or None)
    new_secret = None
    if request.method == "POST" and form.is_valid():
        try:
            issued = token_issue(
                user=request.user,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
                expires_days=form.cleaned_data["expires_days"],
            )
        except IncidentError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            new_secret = issued.secret
            form = TokenForm()
    status = 200 if request.method == "GET" or new_secret or form.is_valid() else 400
    context = {
        "form": form,
        "new_secret": new_secret,
        "tokens": ApiToken.objects.filter(user=request.user),
    }
    return render(request, "account/tokens.html", context, status=status)


@login_required
@require_POST
def token_revoke_view(request, token_id: int):
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    token_revoke(token=token, actor=request.user)
    messages.success(request, f"Token “{token.name}” revoked; it no longer works.")
    return redirect("account-tokens")


def _require_manager(request) -> None:
    if not is_manager(request.user):
        raise PermissionDenied("Only managers and admins manage webhooks.")


@login_required
def webhook_list(request):
    _require_manager(request)
    form = WebhookForm(request.POST or None, initial={"is_active": True})
    if request.method == "POST" and form.is_valid():
        sub = form.save(commit=False)
        sub.created_by = request.user
        sub.save()
        messages.success(request, f"Subscribed {sub.url}. Copy its signing secret below.")
        return redirect("integrations-webhook", sub.pk)
    context = {"form": form, "subscriptions": WebhookSubscription.objects.all()}
    return render(request, "integrations/webhooks.html", context, status=400 if form.errors else 200)


@login_required
def webhook_detail(request, sub_id: int):
    _require_manager(request)
    sub = get_object_or_404(WebhookSubscription, pk=sub_id)
    form = WebhookForm(request.POST or None, instance=sub)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            subscriptions.save_changes(form)
        messages.success(request, "Subscription saved.")
        return redirect("integrations-webhook", sub.pk)
    deliveries = (
        sub.deliveries.select_related("notification__incident")
        .prefetch_related("notification__attempt_log")
        .order_by("-created_at", "-id")[:DELIVERY_LOG_SIZE]
    )
    context = {"sub": sub, "form": form, "deliveries": deliveries, "log_size": DELIVERY_LOG_SIZE}
    return render(request, "integrations/webhook_detail.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def webhook_test(request, sub_id: int):
    _require_manager(request)
    sub = get_object_or_404(WebhookSubscription, pk=sub_id)
    delivery = subscriptions.test(sub, actor=request.user)
    notification = delivery.notification
    if notification.status == "sent":
        messages.success(request, "Test event delivered.")
    else:
        messages.error(request, f"Test event failed: {notification.last_error or 'no answer yet'}")
    return redirect("integrations-webhook", sub.pk)


@login_required
@require_POST
def webhook_rotate(request, sub_id: int):
    _require_manager(request)
    subscriptions.rotate_secret(get_object_or_404(WebhookSubscription, pk=sub_id))
    messages.success(request, "New signing secret created; update the receiver.")
    return redirect("integrations-webhook", sub_id)


@login_required
@require_POST
def webhook_delete(request, sub_id: int):
    _require_manager(request)
    sub = get_object_or_404(WebhookSubscription, pk=sub_id)
    subscriptions.delete(sub)
    messages.success(request, f"Subscription “{sub.name}” deleted.")
    return redirect("integrations-webhooks")
