"""python manage.py sla_rebuild [--open-only] [ids ...]: recomputes SLA timers from incident timelines."""

from django.core.management.base import BaseCommand

from incidents.choices import OPEN_STATES
from incidents.models import Incident
from sla.engine import rebuild_timers


class Command(BaseCommand):
    help = "Recomputes SLA timers of incidents from their timelines (after changing policies, or after import)."

    def add_arguments(self, parser):
        parser.add_argument("ids", nargs="*", type=int)
        parser.add_argument("--open-only", action="store_true")

    def handle(self, *args, ids, open_only, **options):
        qs = Incident.objects.all()
        if ids:
            qs = qs.filter(pk__in=ids)
        if open_only:
            qs = qs.filter(state__in=OPEN_STATES)
        count = rebuild_timers(list(qs.values_list("pk", flat=True)))
        self.stdout.write(f"Rebuilt the SLA timers of {count} incidents.")
