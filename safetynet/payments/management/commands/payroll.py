"""`safetynet payroll run | check | approve | reject | export | import-return | reissue | stats`.

* ``run PROGRAM YYYY-MM [--user U] [--json]`` prepares the run of the programme and
  period (quarterly programmes: the quarter's first month) and prints its id, lines and
  sum; again for the same programme and period it reports the existing run, adding
  nothing (an interrupted run is completed);
* ``check RUN_ID [--user U]``, ``approve RUN_ID --user U``, ``reject RUN_ID --user U --note``;
* ``export RUN_ID --format csv|xlsx --out FILE [--user U]``;
* ``import-return RUN_ID FILE [--user U] [--json]``;
* ``reissue RUN_ID [--user U] [--include-unchanged]``;
* ``stats [--program P] [--year YYYY] [--json]``: fund statistics from the payment lines.

``--user`` names the person acting (audited, and checked for the role); without it the
operator acts as the system. Approval always names a user, never the preparer; the
command line has no one-time code: whoever runs it is trusted with the server.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from safetynet.accounts.models import User
from safetynet.benefits.months import label
from safetynet.core.actor import Actor
from safetynet.payments import selectors, services
from safetynet.payments.models import PayrollRun


def _messages(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            return "; ".join(f"{name}: {' '.join(str(m) for m in errors)}"
                             for name, errors in exc.message_dict.items())
        return " ".join(str(m) for m in exc.messages)
    return str(exc)


class Command(BaseCommand):
    help = "Payroll runs: prepare, check, approve, export, import the return, re-issue."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser("run", help="prepare the payroll of a programme and period")
        run.add_argument("program")
        run.add_argument("period", help="YYYY-MM (quarterly programmes: first month)")
        run.add_argument("--json", action="store_true")
        for name in ("check", "approve", "reject", "reissue", "show"):
            cmd = sub.add_parser(name)
            cmd.add_argument("run_id", type=int)
        export = sub.add_parser("export", help="write the approved run's bank file")
        export.add_argument("run_id", type=int)
        export.add_argument("--format", choices=("csv", "xlsx"), default="csv")
        export.add_argument("--out", type=Path, required=True)
        ret = sub.add_parser("import-return", help="read the bank's return file")
        ret.add_argument("run_id", type=int)
        ret.add_argument("file", type=Path)
        ret.add_argument("--json", action="store_true")
        stats = sub.add_parser("stats", help="households, persons and yuan paid")
        stats.add_argument("--program")
        stats.add_argument("--year", type=int)
        stats.add_argument("--json", action="store_true")
        for cmd in sub.choices.values():
            cmd.add_argument("--user", help="username of the person acting")
        sub.choices["reject"].add_argument("--note", required=True)
        sub.choices["reissue"].add_argument("--include-unchanged", action="store_true",
                                            help="also lines whose account was not changed")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"].replace("-", "_")
        try:
            getattr(self, f"do_{action}")(options)
        except (ValidationError, PermissionDenied) as exc:
            raise CommandError(_messages(exc)) from exc

    # --- helpers ------------------------------------------------------------------------

    def _actor(self, options: dict[str, Any]) -> Actor | None:
        """The person named by --user (the operator acting as the system without it)."""
        username = options.get("user")
        if not username:
            return None
        try:
            return Actor.of(User.objects.get(username=username, is_active=True))
        except User.DoesNotExist as exc:
            raise CommandError(f"no active user named {username}") from exc

    def _approver(self, options: dict[str, Any]) -> Actor:
        actor = self._actor(options)
        if actor is None:
            raise CommandError("--user is required: name the person who approves")
        return actor

    def _run(self, options: dict[str, Any]) -> PayrollRun:
        try:
            return PayrollRun.objects.get(pk=options["run_id"])
        except PayrollRun.DoesNotExist as exc:
            raise CommandError(f"no payroll run #{options['run_id']}") from exc

    def _describe(self, run: PayrollRun) -> str:
        return (f"run #{run.pk} {run.program} {label(run.period)} ({run.kind}): "
                f"{run.lines:,} lines, {run.total:,.2f} yuan, {run.get_status_display()}")

    # --- actions ------------------------------------------------------------------------

    def do_run(self, options: dict[str, Any]) -> None:
        run, created = services.run_payroll(self._actor(options), options["program"],
                                            options["period"])
        if options["json"]:
            self.stdout.write(json.dumps({
                "run": run.pk, "program": run.program, "period": label(run.period),
                "lines": run.lines, "total_yuan": f"{run.total:.2f}", "created": created}))
            return
        prefix = "prepared" if created else "exists, nothing added:"
        self.stdout.write(f"{prefix} {self._describe(run)}")
        for township, totals in sorted(run.control.items()):
            self.stdout.write(f"  {township} {totals['lines']:>8,} {totals['fen'] / 100:>16,.2f}")

    def do_show(self, options: dict[str, Any]) -> None:
        self.stdout.write(self._describe(self._run(options)))

    def do_check(self, options: dict[str, Any]) -> None:
        run = services.check_run(self._actor(options), self._run(options))
        self.stdout.write(f"checked {self._describe(run)}")

    def do_approve(self, options: dict[str, Any]) -> None:
        run = services.approve_run(self._approver(options), self._run(options))
        self.stdout.write(f"approved {self._describe(run)}")

    def do_reject(self, options: dict[str, Any]) -> None:
        run = services.reject_run(self._approver(options), self._run(options),
                                  options["note"])
        self.stdout.write(f"rejected {self._describe(run)}")

    def do_export(self, options: dict[str, Any]) -> None:
        bank_file, content = services.export_run(self._actor(options), self._run(options),
                                                 options["format"])
        out: Path = options["out"]
        out.write_bytes(content)
        self.stdout.write(f"{bank_file.name}: {bank_file.lines:,} lines, "
                          f"{bank_file.total:,.2f} yuan -> {out}")

    def do_import_return(self, options: dict[str, Any]) -> None:
        path: Path = options["file"]
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc}") from exc
        result = services.import_return(self._actor(options), self._run(options), content,
                                        path.name)
        summary = {"run": options["run_id"], "already_imported": result.already_imported,
                   "paid": result.paid, "failed": result.failed,
                   "unchanged": result.unchanged, "pending": result.pending}
        if options["json"]:
            self.stdout.write(json.dumps(summary))
        elif result.already_imported:
            self.stdout.write(f"{path.name} was imported before: nothing changed")
        else:
            self.stdout.write(f"paid {result.paid:,}, failed {result.failed:,}, unchanged "
                              f"{result.unchanged:,}; {result.pending:,} lines still pending")

    def do_reissue(self, options: dict[str, Any]) -> None:
        run = services.reissue_failed(self._actor(options), self._run(options),
                                      options["include_unchanged"])
        self.stdout.write(f"re-issue {self._describe(run)}")

    def do_stats(self, options: dict[str, Any]) -> None:
        rows = selectors.fund_statistics(None, options.get("program"), options.get("year"))
        if options["json"]:
            self.stdout.write(json.dumps([r.as_json() for r in rows], ensure_ascii=False))
            return
        for r in rows:
            self.stdout.write(f"{r.program:<20} {r.township} {r.month} {r.households:>7,} "
                              f"{r.persons:>7,} {r.paid:>14,.2f}")
