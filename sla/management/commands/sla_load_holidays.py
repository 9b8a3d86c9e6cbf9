"""python manage.py sla_load_holidays <calendar> <country> <year> [<year> ...] [--subdiv XX]"""

from django.core.management.base import BaseCommand, CommandError

from sla.calendars import load_holidays
from sla.models import BusinessCalendar


class Command(BaseCommand):
    help = "Adds a country's public holidays (from the holidays package) to a business calendar."

    def add_arguments(self, parser):
        parser.add_argument("calendar", help="Calendar name or id.")
        parser.add_argument("country", help="ISO country code, e.g. PL.")
        parser.add_argument("years", nargs="+", type=int)
        parser.add_argument("--subdiv", default=None, help="Subdivision (state, province) code.")

    def handle(self, *args, calendar, country, years, subdiv, **options):
        found = BusinessCalendar.objects.filter(name=calendar).first()
        if found is None and calendar.isdigit():
            found = BusinessCalendar.objects.filter(pk=int(calendar)).first()
        if found is None:
            raise CommandError(f"No calendar named {calendar!r}.")
        try:
            added = load_holidays(found, country=country, years=years, subdiv=subdiv)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"{added} holidays added to {found.name}.")
