"""Demo data for reports: rollups for the report zone, a post-incident review and a manager's weekly summary."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from incidents import outbox
from incidents.choices import Role
from incidents.models import Incident, User
from reporting import reviews, rollups
from reporting.models import PostIncidentReview, ReportSubscription


def seed(*, stdout) -> None:
    """Idempotent: builds what is missing and leaves the rest."""
    with outbox.suppressed():
        _review(stdout)
        manager = User.objects.filter(groups__name=Role.MANAGER, is_active=True).order_by("pk").first()
        if manager is not None and manager.email:
            _, created = ReportSubscription.objects.get_or_create(user=manager, frequency="weekly")
            if created:
                stdout.write(f"  reporting: weekly summary subscription for {manager.username}")
    for zone in rollups.zones_to_keep() or [settings.REPORTING_TIME_ZONE]:
        rollups.rebuild(zone)
    stdout.write("  reporting: rollups built")


def _review(stdout) -> None:
    major = Incident.objects.filter(is_major=True).order_by("created_at").first()
    author = User.objects.filter(groups__name=Role.AGENT, is_active=True).order_by("pk").first()
    if major is None or author is None or PostIncidentReview.objects.filter(incident=major).exists():
        return
    review = reviews.review_create(incident=major, actor=author)
    reviews.review_update(
        review=review,
        actor=author,
        changes={
            "summary": f"{major.short_description}. Users could not work until the service was restored.",
            "root_cause": "A configuration change was rolled out to every node at once without a canary.",
            "contributing_factors": "No alert on the error rate; the change window overlapped office hours.",
            "went_well": "The service desk linked duplicate reports to the major incident within minutes.",
            "lessons": "Roll out configuration changes in stages and alert on the error rate.",
        },
    )
    first_entry = major.timeline.order_by("created_at").first()
    if first_entry is not None:
        reviews.review_toggle_highlight(review=review, actor=author, entry_id=first_entry.pk, note="First report")
    reviews.review_add_action(
        review=review,
        actor=author,
        description="Add staged roll-out to the change procedure",
        owner=author,
        due_date=timezone.localdate() + timedelta(days=14),
    )
    stdout.write(f"  reporting: review of {major.number}")
