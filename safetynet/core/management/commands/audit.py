"""`safetynet audit verify` / `audit purge --older-than-days N` / `audit export --out FILE`."""

from __future__ import annotations

import csv
import sys
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safetynet.core import audit
from safetynet.core.models import AuditEvent

EXPORT_FIELDS = ["id", "at", "username", "ip", "action", "object_type", "object_id", "result",
                 "detail", "hash"]


class Command(BaseCommand):
    help = "Verify the audit chain, purge events past retention, or export the log as CSV."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify")
        purge = sub.add_parser("purge")
        purge.add_argument("--older-than-days", type=int, default=audit.RETENTION_DAYS)
        export = sub.add_parser("export")
        export.add_argument("--out", default="-")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"_{options['action']}")(options)

    def _verify(self, options: dict[str, Any]) -> None:
        result = audit.verify()
        if not result.ok:
            raise CommandError(f"audit chain broken at event {result.broken_id}: "
                               f"{result.reason} ({result.checked} events verified before it)")
        self.stdout.write(f"audit chain intact: {result.checked} events")

    def _purge(self, options: dict[str, Any]) -> None:
        try:
            removed = audit.purge(options["older_than_days"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        audit.record("audit_purge", username="system", removed=removed,
                     older_than_days=options["older_than_days"])
        self.stdout.write(f"removed {removed} audit events")

    def _export(self, options: dict[str, Any]) -> None:
        if options["out"] == "-":
            self._write_csv(sys.stdout)
            return
        with open(options["out"], "w", newline="") as out:
            self._write_csv(out)
        audit.record("export", username="system", object_type="core.auditevent",
                     out=options["out"])

    @staticmethod
    def _write_csv(out: TextIO) -> None:
        writer = csv.writer(out)
        writer.writerow(EXPORT_FIELDS)
        for event in AuditEvent.objects.order_by("id").iterator(chunk_size=5000):
            writer.writerow([getattr(event, f) for f in EXPORT_FIELDS])
