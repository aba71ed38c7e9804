"""Print what each role may do (the table in accounts/capabilities.py)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from safetynet.accounts.capabilities import GRANTS, Capability, markdown_table


class Command(BaseCommand):
    help = "List every capability and the roles that hold it (--markdown: the README table)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--markdown", action="store_true",
                            help="print the README's Markdown table")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["markdown"]:
            self.stdout.write(markdown_table())
            return
        for capability in Capability:
            roles = " ".join(sorted(role.value for role in GRANTS[capability]))
            self.stdout.write(f"{capability.value:28} {roles}")
