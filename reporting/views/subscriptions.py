"""A manager's email summaries: subscribe to a weekly or monthly summary, see and cancel subscriptions."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from reporting.forms import SubscriptionForm
from reporting.models import ReportSubscription
from reporting.views.common import manager_required


@manager_required
def subscription_list(request):
    form = SubscriptionForm(request.POST or None)
    if request.method == "POST":
        if not request.user.email:
            form.add_error(None, "Add an email address to your profile first.")
        elif form.is_valid():
            subscription = form.save(commit=False)
            subscription.user = request.user
            subscription.save()
            messages.success(request, f"Subscribed: {subscription.get_frequency_display().lower()} summary.")
            return redirect("reporting:subscriptions")
    subscriptions = ReportSubscription.objects.filter(user=request.user).select_related("team", "service")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "reporting/subscriptions.html",
        {"form": form, "subscriptions": subscriptions, "page": "subscriptions"},
        status=status,
    )


@manager_required
@require_POST
def subscription_delete(request, pk: int):
    subscription = get_object_or_404(ReportSubscription, pk=pk, user=request.user)
    subscription.delete()
    messages.success(request, "Subscription cancelled.")
    return redirect("reporting:subscriptions")
