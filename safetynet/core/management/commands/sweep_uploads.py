"""`safetynet sweep_uploads`: delete uploaded files that no record refers to (daily timer).

A file is written before its row commits; when the transaction is rolled back further out,
or the process is killed in between, the file stays behind with no record. This removes
such files once they are older than ``--hours`` (default 24), so an upload still in a
transaction is never touched.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from safetynet.core import uploads


class Command(BaseCommand):
    help = "Delete uploaded files under MEDIA_ROOT that no record refers to."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--hours", type=int, default=24,
                            help="only files older than this (default 24)")
        parser.add_argument("--dry-run", action="store_true", help="list, delete nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        found = uploads.sweep(dt.timedelta(hours=options["hours"]), options["dry_run"])
        for path in found:
            self.stdout.write(str(path))
        message = (_("%(n)s files no record refers to (not deleted: dry run).")
                   if options["dry_run"] else _("%(n)s files no record refers to deleted."))
        self.stdout.write(message % {"n": len(found)})
