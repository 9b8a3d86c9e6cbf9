"""python manage.py seed_demo: demo catalog, users for every role and believable incidents (idempotent)."""

from __future__ import annotations

import importlib
import secrets

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from incidents import demo


class Command(BaseCommand):
    help = "Loads demo data: teams, services, CIs, categories, users for every role and a few hundred incidents."

    def add_arguments(self, parser):
        parser.add_argument("--password", help="Password for the demo users (default: a random one, printed).")
        parser.add_argument("--incidents", type=int, default=300, help="How many demo incidents (default 300).")
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG off.")

    def handle(self, *args, password=None, incidents=300, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("Refusing to load demo data with DEBUG off; pass --force if you mean it.")
        password = password or secrets.token_urlsafe(9)
        demo.seed(password=password, stdout=self.stdout, incidents=incidents)
        # Each other app may add its own demo data in <app>/demo.py: seed(stdout=...).
        for config in apps.get_app_configs():
            if config.name in {"incidents"} or config.name.split(".")[0] not in {
                "incidents",
                "sla",
                "knowledge",
                "reporting",
            }:
                continue
            try:
                module = importlib.import_module(f"{config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name == f"{config.name}.demo":
                    continue
                raise
            module.seed(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password: {password}):"))
        for username, role in [
            ("agent", "agent"),
            ("manager", "manager"),
            ("requester", "requester (portal)"),
            ("admin", "admin"),
        ]:
            self.stdout.write(f"  {username:<10} {role}")
