"""`safetynet discovery escalate|monitor|import`: the batch work of active discovery, for
cron or by hand (the web UI queues the same work as background tasks)."""

from __future__ import annotations

from typing import Any

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError, CommandParser

from safetynet.accounts.models import User
from safetynet.core.actor import Actor
from safetynet.discovery import imports, jobs, monitoring, warnings


class Command(BaseCommand):
    help = "Active discovery: escalate late warnings, recompute monitoring, import a file."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("escalate", help="escalate open warnings past their date (daily)")
        sub.add_parser("monitor", help="recompute the monitored low-income population")
        load = sub.add_parser("import", help="import a department's file (CSV/XLSX)")
        load.add_argument("source", help="medical, disability, death, employment, "
                                         "disaster or hotline")
        load.add_argument("path")
        load.add_argument("--user", required=True, help="the county officer importing it")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "escalate":
            self.stdout.write(f"escalated: {warnings.escalate_late()}")
        elif options["action"] == "monitor":
            run = monitoring.recompute(trigger="command")
            self.stdout.write(f"monitored {run.total}, entered {run.entered}, "
                              f"exited {run.exited} ({run.seconds} s)")
        else:
            user = User.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"no user {options['user']!r}")
            with open(options["path"], "rb") as handle:
                job = jobs.start_import(Actor.of(user), options["source"], File(
                    handle, name=options["path"].rsplit("/", 1)[-1]))
            job = imports.run_import(job.pk)
            self.stdout.write(f"{job.get_status_display()}: {job.total_rows} rows, "
                              f"{job.new_rows} new, {job.matched_rows} matched, "
                              f"{job.unmatched_rows} unmatched, {job.warnings_raised} warnings"
                              f"{' — ' + job.message if job.message else ''}")
            for error in job.errors[:20]:
                self.stdout.write(f"  row {error['row']} {error['column']}: {error['message']}")
