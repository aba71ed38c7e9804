"""`safetynet demo_logins [--markdown]`: the demo logins, as `make demo` prints them or as
the table of docs/demo.md. Reads only safetynet/demo/accounts.py (no database)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from safetynet.demo.accounts import demo_logins_markdown, describe_demo_logins


class Command(BaseCommand):
    help = "Print the demo logins (--markdown: the table of docs/demo.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--markdown", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(demo_logins_markdown() if options["markdown"]
                          else describe_demo_logins())
