"""`safetynet rules eval | run | whatif`: the rules engine from the command line.

* ``eval [--input FILE] [--on DATE] [--lang zh|en]`` reads the JSON of docs/rules.md from
  the file or standard input and writes the engine's JSON output; invalid input exits
  with code 2 and ``{"errors": [...]}`` on standard error.
* ``run --on DATE [--user USERNAME] [--engine inprocess|dask] [--scheduler ADDRESS]``
  evaluates every household the user may see (all without --user) and stores the amounts.
* ``whatif --on DATE --set NAME=VALUE [--set ...] [--user USERNAME] [--json]`` compares
  the registry under the changed parameters with the baseline.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
from pathlib import Path
from typing import Any, NoReturn, TextIO

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from safetynet.accounts.models import User
from safetynet.core.actor import Actor
from safetynet.policy import ParameterError, PolicyInputError, evaluate_json
from safetynet.rules import services
from safetynet.rules.models import Engine
from safetynet.rules.parameters import current_parameters, parse_assignments
from safetynet.rules.runs import DEFAULT_PARTITION, DaskOptions, execute_run
from safetynet.rules.whatif import execute_simulation

INPUT_ERROR = 2


def iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(f"expected YYYY-MM-DD, got {text!r}") from exc


iso_date.__name__ = "date"  # argparse names the type in its error message


class Command(BaseCommand):
    help = "Evaluate households given as JSON, the whole registry, or a what-if scenario."
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        ev = sub.add_parser("eval", help="evaluate the JSON households of a file or stdin")
        ev.add_argument("--input", help="JSON file (default: standard input)")
        ev.add_argument("--on", type=iso_date, help="evaluation date (default: the JSON's on)")
        ev.add_argument("--lang", choices=("zh", "en"), default="zh")
        run = sub.add_parser("run", help="evaluate the registry and store the amounts")
        run.add_argument("--on", type=iso_date, required=True)
        run.add_argument("--user", help="evaluate only the households this user may see")
        run.add_argument("--engine", choices=[e.value for e in Engine],
                         default=Engine.IN_PROCESS)
        run.add_argument("--scheduler", help="Dask scheduler address (default: a local "
                                             "cluster of 2 workers)")
        run.add_argument("--partition-size", type=int, default=DEFAULT_PARTITION,
                         help="households per Parquet partition (dask engine)")
        run.add_argument("--workdir", type=Path, help="directory for the partitions, readable "
                                                      "by every worker (dask engine)")
        whatif = sub.add_parser("whatif", help="compare changed parameters with the baseline")
        whatif.add_argument("--on", type=iso_date, required=True)
        whatif.add_argument("--set", action="append", required=True, dest="assignments",
                            metavar="NAME=VALUE", help="e.g. dibao.standard=700 (repeatable)")
        whatif.add_argument("--user", help="simulate only the households this user may see")
        whatif.add_argument("--json", action="store_true", help="print the outcome as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        handlers = {"eval": self.evaluate, "run": self.run, "whatif": self.whatif}
        handlers[options["action"]](options)

    # --- eval ---------------------------------------------------------------------------

    def evaluate(self, options: dict[str, Any]) -> None:
        payload = self._read_json(options)
        try:
            result = evaluate_json(payload, options["lang"], on=options["on"],
                                   params=current_parameters())
        except PolicyInputError as exc:
            self._fail({"errors": exc.errors})
        except ParameterError as exc:
            self._fail({"errors": [{"household": None, "member": None, "field": "area_code",
                                    "message": exc.message}]})
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))

    def _read_json(self, options: dict[str, Any]) -> Any:
        try:
            text = self._source(options).read()
            return json.loads(text)
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            self._fail({"errors": [{"household": None, "member": None, "field": "",
                                    "message": f"cannot read the JSON input: {exc}"}]})

    @staticmethod
    def _source(options: dict[str, Any]) -> TextIO:
        name = options.get("input")
        if name and name != "-":
            return Path(name).open(encoding="utf-8")
        stream: TextIO = options.get("stdin") or sys.stdin
        return stream

    def _fail(self, errors: dict[str, Any]) -> NoReturn:
        self.stderr.write(json.dumps(errors, ensure_ascii=False), style_func=str)
        raise SystemExit(INPUT_ERROR)

    # --- run ----------------------------------------------------------------------------

    def run(self, options: dict[str, Any]) -> None:
        actor = self._actor(options.get("user"))
        dask = DaskOptions(options.get("scheduler"), options.get("workdir"),
                           options["partition_size"])
        started = time.perf_counter()
        try:
            run = services.create_run(options["on"], actor, options["engine"])
            run = execute_run(run.pk, dask)
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"run #{run.pk} on {run.on} ({run.engine}): {run.households:,} households, "
            f"{run.persons:,} persons, {run.results:,} amounts stored, "
            f"{run.paid_households:,} households paid, {run.monthly_total:,} yuan a month")
        for program, data in sorted(run.by_program.items()):
            self.stdout.write(f"  {program:<20} {data['rows']:>9,} {data['monthly']:>13,} yuan")
        rate = run.households / seconds if seconds else 0
        steps = ", ".join(f"{k} {v:.2f} s" for k, v in run.timings.items())
        self.stdout.write(f"{seconds:.2f} s ({steps}); {rate:,.0f} households/s")

    def _actor(self, username: str | None) -> Actor | None:
        if not username:
            return None
        try:
            return Actor.of(User.objects.get(username=username, is_active=True))
        except User.DoesNotExist as exc:
            raise CommandError(f"no active user named {username}") from exc

    # --- whatif -------------------------------------------------------------------------

    def whatif(self, options: dict[str, Any]) -> None:
        actor = self._actor(options.get("user"))
        try:
            overrides = parse_assignments(options["assignments"])
            simulation = services.create_simulation(options["on"], overrides, actor)
        except ParameterError as exc:
            raise CommandError(f"{exc.key}: {exc.message}") from exc
        except (ValidationError, PermissionDenied) as exc:
            raise CommandError(" ".join(getattr(exc, "messages", [str(exc)]))) from exc
        simulation = execute_simulation(simulation.pk)
        if options["json"]:
            output = {"simulation": simulation.pk, "on": simulation.on.isoformat(),
                      "overrides": simulation.overrides, **simulation.summary}
            self.stdout.write(json.dumps(output, ensure_ascii=False, indent=2))
        else:
            self._report(simulation.summary, simulation.pk)

    def _report(self, summary: dict[str, Any], pk: int) -> None:
        counts, monthly = summary["counts"], summary["monthly"]
        write = self.stdout.write
        write(f"simulation #{pk}: {summary['households']:,} households, "
              f"{summary['persons']:,} persons")
        write(f"  gain {counts['gain']:,} · lose {counts['lose']:,} · newly eligible "
              f"{counts['newly_eligible']:,} · no longer eligible "
              f"{counts['no_longer_eligible']:,}")
        write(f"  monthly cost {monthly['baseline']:,} -> {monthly['scenario']:,} yuan "
              f"({monthly['change']:+,}; {monthly['annual_change']:+,} a year)")
        write("by programme (monthly change, annual change, newly / no longer eligible):")
        for row in summary["by_program"]:
            write(f"  {row['program']:<20} {row['change']:>+12,} {row['annual_change']:>+14,}"
                  f"  {row['newly']:>6,} / {row['no_longer']:,}")
        write("by township (monthly change, annual change):")
        for row in summary["by_township"]:
            write(f"  {row['township']} {row['name']:<10} {row['change']:>+12,} "
                  f"{row['annual_change']:>+14,}")
