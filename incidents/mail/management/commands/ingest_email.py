"""python manage.py ingest_email [FILE]: one RFC 822 message from a file or standard input (a mail server's pipe).

Exit status: 0 when the message was taken (including ignored, rejected and duplicate mail: it is kept either way),
75 (EX_TEMPFAIL) when the database is unavailable so the mail server retries later, 1 for unusable input.
"""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, InterfaceError, OperationalError

from incidents.mail import intake
from incidents.mail.choices import Source

EX_TEMPFAIL = 75


class Command(BaseCommand):
    help = "Turns one email (RFC 822, from FILE or standard input) into an incident or a comment."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default="-", help="File with the message; '-' or none for stdin.")

    def handle(self, *args, path: str = "-", **options):
        if path == "-":
            raw = sys.stdin.buffer.read()
        else:
            try:
                with open(path, "rb") as handle:
                    raw = handle.read()
            except OSError as exc:
                raise CommandError(f"Cannot read {path}: {exc.strerror}") from None
        if not raw.strip():
            raise CommandError("No message given: pipe one email into this command or name a file.")
        try:
            result = intake.ingest(raw, source=Source.PIPE)
        except (OperationalError, InterfaceError) as exc:
            self.stderr.write(f"Database unavailable, try again later: {exc}")
            sys.exit(EX_TEMPFAIL)
        except DatabaseError as exc:
            self.stderr.write(f"Database error, try again later: {exc}")
            sys.exit(EX_TEMPFAIL)
        self.stdout.write(str(result))
