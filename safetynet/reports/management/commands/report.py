"""`safetynet report summary | monthly | refresh`.

* ``summary --from YYYY-MM --to YYYY-MM [--area CODE] [--format json|xlsx|pdf]
  [--out FILE]``: the summary report of the months and area (default: the county), as
  JSON on standard output (or in FILE), or as an Excel/PDF file (FILE, or the default
  file name in the current directory; the path written is printed);
* ``monthly [YYYY-MM] [--force]``: the monthly reports (county and every township) of the
  month given, or every missing month up to last month (run it from cron on the 1st);
* ``refresh``: rebuild the statistics' ledger from the paid payment lines (it keeps
  itself current as payrolls are paid; rebuild after households changed hukou type).

The operator on the command line sees the whole county; files are in Chinese.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone, translation

from safetynet.benefits.months import label, parse_period
from safetynet.core import audit
from safetynet.core.models import Area
from safetynet.reports import exports, ledger, monthly
from safetynet.reports.query import from_params
from safetynet.reports.summary import summary


def _messages(exc: ValidationError) -> str:
    return "; ".join(f"{name}: {' '.join(str(m) for m in errors)}"
                     for name, errors in exc.message_dict.items())


class Command(BaseCommand):
    help = "Statistics: the summary report, and the monthly reports."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        one = sub.add_parser("summary", help="the summary of a range of months")
        one.add_argument("--from", dest="start", required=True, help="first month, YYYY-MM")
        one.add_argument("--to", dest="end", required=True, help="last month, YYYY-MM")
        one.add_argument("--area", default="", help="division code (default: the county)")
        one.add_argument("--format", choices=("json", *exports.FORMATS), default="json")
        one.add_argument("--out", type=Path, help="file to write")
        month = sub.add_parser("monthly", help="make the monthly reports")
        month.add_argument("month", nargs="?", help="YYYY-MM (default: every missing month)")
        month.add_argument("--force", action="store_true", help="make them again")
        sub.add_parser("refresh", help="rebuild the ledger the money figures are counted from")

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(monthly.LANGUAGE):
            if options["action"] == "summary":
                self.do_summary(options)
            elif options["action"] == "refresh":
                self.stdout.write(f"programme years rebuilt: {ledger.rebuild_all()}")
            else:
                self.do_monthly(options)

    def do_summary(self, options: dict[str, Any]) -> None:
        area = options["area"].strip()
        if area and not Area.objects.filter(code=area).exists():
            raise CommandError(f"area: unknown division code {area}")
        try:
            query = from_params({"from": options["start"], "to": options["end"], "area": area},
                                None, timezone.localdate())
        except ValidationError as exc:
            raise CommandError(_messages(exc)) from exc
        report = summary(query, None)
        fmt, out = options["format"], options["out"]
        if fmt == "json":
            text = json.dumps(report.as_json(), ensure_ascii=False, indent=2)
            if out is None:
                self.stdout.write(text)
                return
            out.write_text(text + "\n", encoding="utf-8")
        else:
            out = out or Path.cwd() / exports.filename(report, fmt)
            out.write_bytes(exports.render(report, fmt))
        audit.record("report_export", username="cli", format=fmt, **query.as_params())
        self.stdout.write(str(out))

    def do_monthly(self, options: dict[str, Any]) -> None:
        if options["month"]:
            try:
                month = parse_period(options["month"])
            except ValueError as exc:
                raise CommandError(f"month: {options['month']} is not a month: write it as "
                                   "YYYY-MM, e.g. 2022-08.") from exc
            made = monthly.generate_all(month, options["force"])
        else:
            made = monthly.catch_up(timezone.localdate())
        for report in made:
            self.stdout.write(f"{label(report.month)} {report.area_id} #{report.pk}")
        if not made:
            self.stdout.write("nothing to do")
