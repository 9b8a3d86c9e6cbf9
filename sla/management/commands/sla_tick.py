"""python manage.py sla_tick: runs one SLA tick by hand and prints what it did."""

from django.core.management.base import BaseCommand

from sla import engine


class Command(BaseCommand):
    help = "Processes the SLA timers that are due now (what the Celery beat schedule runs every few seconds)."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=None)

    def handle(self, *args, **options):
        result = engine.tick(batch_size=options["batch_size"])
        self.stdout.write(
            f"{result.timers} timers in {result.batches} batches: {result.events} events, "
            f"{result.firings} rule firings, {result.notifications} notifications."
        )
