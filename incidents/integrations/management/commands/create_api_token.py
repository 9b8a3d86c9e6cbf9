"""manage.py create_api_token <username> [--scope read|write] [--expires-days N] [--name NAME]: prints the token once."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from incidents.errors import IncidentError
from incidents.integrations.models import TokenScope
from incidents.integrations.tokens import token_issue
from incidents.models import User


class Command(BaseCommand):
    help = "Creates an API token for a user and prints it (only its hash is stored: copy it now)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--scope", choices=TokenScope.values, default=TokenScope.READ)
        parser.add_argument("--expires-days", type=int, default=None, help="Days until it expires (default: never).")
        parser.add_argument("--name", default="", help="What uses it (default: 'Created from the command line').")

    def handle(self, *args, username, scope, expires_days, name, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        try:
            issued = token_issue(
                user=user, name=name or "Created from the command line", scope=scope, expires_days=expires_days
            )
        except IncidentError as exc:
            raise CommandError(exc.message) from None
        self.stderr.write(
            f"Token {issued.token.name!r} for {user.username} ({scope}); store it now, it is not shown again:"
        )
        self.stdout.write(issued.secret)
