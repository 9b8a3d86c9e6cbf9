"""Demo SLA configuration: a 24x7 and an office-hours calendar, response and resolution policies for P1 to P5 with
escalation rules, an OLA per team period; then timers for the demo incidents, rebuilt from their timelines.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from incidents import outbox
from incidents.models import Incident
from sla.calendars import ALWAYS_HOURS, load_holidays
from sla.engine import rebuild_timers
from sla.models import BusinessCalendar, EscalationRule, SlaPolicy, SlaTimer

HOUR = timedelta(hours=1)
BUSINESS_DAY = 8 * HOUR  # the office calendar works 08:00-16:00

# priority: (response target, resolution target, calendar key)
TARGETS = {
    1: (timedelta(minutes=15), 4 * HOUR, "always"),
    2: (timedelta(minutes=30), 8 * HOUR, "always"),
    3: (4 * HOUR, 3 * BUSINESS_DAY, "office"),
    4: (BUSINESS_DAY, 5 * BUSINESS_DAY, "office"),
    5: (2 * BUSINESS_DAY, 10 * BUSINESS_DAY, "office"),
}

# (priority, metric): [(percent, actions)]
RULES = {
    (1, "response"): [(100, {"notify_team_manager": True})],
    (1, "resolution"): [(75, {"notify_team_manager": True}), (100, {"reassign_to_escalation_team": True})],
    (2, "response"): [(100, {"notify_team_manager": True})],
    (2, "resolution"): [(90, {"notify_team_manager": True}), (100, {"reassign_to_escalation_team": True})],
    (3, "resolution"): [(100, {"notify_team_manager": True, "raise_priority": True})],
    (4, "resolution"): [(100, {"notify_team_manager": True})],
}


@transaction.atomic
def seed_config() -> dict[str, BusinessCalendar]:
    """Creates the calendars and policies unless they exist."""
    always, _ = BusinessCalendar.objects.get_or_create(
        name="24x7", defaults={"timezone": "UTC", "weekly_hours": ALWAYS_HOURS, "description": "Every minute counts."}
    )
    office, created = BusinessCalendar.objects.get_or_create(
        name="Office hours (Warsaw)",
        defaults={
            "timezone": "Europe/Warsaw",
            "weekly_hours": {d: [["08:00", "16:00"]] for d in ("monday", "tuesday", "wednesday", "thursday", "friday")},
            "description": "Monday to Friday 08:00-16:00 Warsaw time, without Polish public holidays.",
        },
    )
    year = timezone.now().year
    load_holidays(office, country="PL", years=[year - 1, year, year + 1])
    cals = {"always": always, "office": office}
    for priority, (response, resolution, cal_key) in TARGETS.items():
        for metric, target in (("response", response), ("resolution", resolution)):
            policy, made = SlaPolicy.objects.get_or_create(
                name=f"P{priority} {metric}",
                defaults={
                    "metric": metric,
                    "target": target,
                    "calendar": cals[cal_key],
                    "priorities": [priority],
                    "order": 10 * priority,
                    "description": f"{metric.capitalize()} target for priority {priority} incidents.",
                },
            )
            if made:
                for percent, actions in RULES.get((priority, metric), []):
                    EscalationRule.objects.create(policy=policy, at_percent=percent, **actions)
    SlaPolicy.objects.get_or_create(
        name="Team OLA",
        defaults={
            "metric": "ola",
            "target": 2 * BUSINESS_DAY,
            "calendar": office,
            "order": 100,
            "warning_thresholds": [75],
            "description": "Each team hands an incident on or solves it within two business days.",
        },
    )
    return cals


def seed(*, stdout=None) -> None:
    """Idempotent: configuration once, then timers for the incidents that have none yet."""
    with outbox.suppressed():
        seed_config()
        missing = list(
            Incident.objects.exclude(pk__in=SlaTimer.objects.values("incident_id")).values_list("pk", flat=True)
        )
        rebuilt = rebuild_timers(missing)
    if stdout is not None:
        stdout.write(f"SLA calendars and policies ready; timers rebuilt for {rebuilt} incidents.")
