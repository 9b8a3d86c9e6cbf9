"""Demo data for integrations: the default alert label mappings by severity, and a monitoring user with a token."""

from __future__ import annotations

from django.contrib.auth.models import Group

from incidents.choices import Level, Role
from incidents.integrations.models import AlertLabelMapping
from incidents.models import User

MAPPINGS = [
    # name, position, labels, impact, urgency, resolve on recovery
    ("Critical alerts", 10, {"severity": "critical"}, Level.HIGH, Level.HIGH, False),
    ("Warnings", 20, {"severity": "warning"}, Level.MEDIUM, Level.MEDIUM, True),
    ("Informational", 30, {"severity": "info"}, Level.LOW, Level.LOW, True),
]


def seed(*, stdout) -> None:
    """Idempotent: creates what is missing only."""
    for name, position, labels, impact, urgency, resolve in MAPPINGS:
        AlertLabelMapping.objects.get_or_create(
            name=name,
            defaults={
                "position": position,
                "match_labels": labels,
                "impact": impact,
                "urgency": urgency,
                "resolve_on_recovery": resolve,
            },
        )
    user, created = User.objects.get_or_create(
        username="monitoring", defaults={"first_name": "Monitoring", "email": "monitoring@itsm.example"}
    )
    if created:
        user.set_unusable_password()
        user.save()
        user.groups.add(Group.objects.get_or_create(name=Role.AGENT)[0])
    stdout.write(
        "Integrations: alert mappings by severity; user 'monitoring' for alerts "
        "(token: manage.py create_api_token monitoring --scope write --name Alertmanager)."
    )
