"""Read side of the payroll: runs, their lines (through the jurisdiction filter), fund
statistics, overpayments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import BigIntegerField, Count, Exists, OuterRef, QuerySet, Sum

from safetynet.benefits.models import QUARTERLY_PROGRAMS, Program
from safetynet.benefits.months import add_months, first_of_month, label
from safetynet.core import masking
from safetynet.core.jurisdiction import scope
from safetynet.core.models import Area
from safetynet.core.money import from_fen
from safetynet.payments import services
from safetynet.payments.models import (
    NO_ACCOUNT,
    LineStatus,
    Overpayment,
    PaymentLine,
    PayrollRun,
    RunKind,
    RunStatus,
)


def runs(limit: int = 50) -> QuerySet[PayrollRun]:
    """Runs are county-wide aggregates (no personal data): readers see them all."""
    return PayrollRun.objects.select_related("prepared_by", "approved_by")[:limit]


def lines_of(user: Any, run: PayrollRun, status: str | None = None) -> QuerySet[PaymentLine]:
    lines = scope(PaymentLine.objects.filter(run=run), user)
    if status:
        lines = lines.filter(status=status)
    return lines.select_related("household", "person", "original").order_by("pk")


def township_names(codes: list[str]) -> dict[str, str]:
    return dict(Area.objects.filter(code__in=codes).values_list("code", "name"))


@dataclass(frozen=True)
class ControlRow:
    township: str
    name: str
    lines: int
    total: Decimal


def control_rows(run: PayrollRun) -> list[ControlRow]:
    names = township_names(list(run.control))
    return [ControlRow(code, names.get(code, ""), int(t["lines"]), from_fen(int(t["fen"])))
            for code, t in sorted(run.control.items())]


def status_counts(run: PayrollRun) -> dict[str, int]:
    rows = (PaymentLine.objects.filter(run=run).order_by().values("status")
            .annotate(n=Count("pk")))
    return {r["status"]: int(r["n"]) for r in rows}


def status_rows(counts: dict[str, int]) -> list[tuple[str, int]]:
    """The line counts by status, labelled in the reader's language, in the order of the
    statuses."""
    return [(str(status.label), counts[status.value]) for status in LineStatus
            if counts.get(status.value)]


@dataclass(frozen=True)
class HeldLine:
    """A line held for lack of a benefit card account, as the run page lists it."""

    line: PaymentLine
    payee: str  # masked
    village: str
    account_recorded: bool


def held_lines(user: Any, run: PayrollRun, limit: int = 200) -> tuple[list[HeldLine], int]:
    """Lines of the run without a benefit card account and not re-issued yet (held at the
    check, or still pending before it), inside the user's areas: the first ``limit`` and
    how many there are."""
    reissued = PaymentLine.objects.filter(original=OuterRef("pk")).exclude(
        status=LineStatus.CANCELLED)
    lines = (scope(PaymentLine.objects.filter(run=run), user)
             .filter(status__in=[LineStatus.HELD, LineStatus.PENDING]).filter(NO_ACCOUNT)
             .exclude(Exists(reissued)))
    count = lines.count()
    chosen = list(lines.select_related("household", "person", "area").order_by("pk")[:limit])
    heads = services.payees(chosen)
    return [HeldLine(line, masking.mask_name(line.person.name if line.person
                                             else heads.get(line.household_id, "")),
                     line.area.name, bool(line.household.bank_account_index))
            for line in chosen], count


@dataclass(frozen=True)
class MissingMonths:
    """Periods of a programme, since its first regular run, that have no regular run."""

    program: str
    name: str
    ranges: list[tuple[str, str, int]]  # first, last, number of periods

    @property
    def count(self) -> int:
        return sum(n for _first, _last, n in self.ranges)


def gaps(first: date, last: date, done: set[date], step: int) -> list[tuple[date, date, int]]:
    """Consecutive runs of periods from ``first`` to ``last`` (every ``step`` months) that
    are not in ``done``, as (first, last, count)."""
    ranges: list[tuple[date, date, int]] = []
    month = first
    while month <= last:
        if month not in done:
            if ranges and add_months(ranges[-1][1], step) == month:
                ranges[-1] = (ranges[-1][0], month, ranges[-1][2] + 1)
            else:
                ranges.append((month, month, 1))
        month = add_months(month, step)
    return ranges


def missing_months(today: date) -> list[MissingMonths]:
    """Per programme that has been run (not one-off temporary assistance): the months
    (quarters for the old-age allowance) from its first regular run to the current one
    without a regular run (rejected runs do not count)."""
    periods: dict[str, set[date]] = {}
    for program, period in (PayrollRun.objects.filter(kind=RunKind.REGULAR)
                            .exclude(status=RunStatus.REJECTED).order_by()
                            .values_list("program", "period").distinct()):
        periods.setdefault(program, set()).add(period)
    found = []
    for program in Program:
        done = periods.get(program.value)
        if not done or program == Program.TEMPORARY:  # one-off grants: no monthly run
            continue
        step = 3 if program.value in QUARTERLY_PROGRAMS else 1
        current = first_of_month(today)
        if step == 3:
            current = current.replace(month=(current.month - 1) // 3 * 3 + 1)
        ranges = gaps(min(done), current, done, step)
        if ranges:
            found.append(MissingMonths(program.value, str(program.label),
                                       [(label(a), label(b), n) for a, b, n in ranges]))
    return found


@dataclass(frozen=True)
class FundRow:
    program: str
    township: str
    name: str
    month: str
    households: int
    persons: int
    paid: Decimal

    def as_json(self) -> dict[str, Any]:
        return {"program": self.program, "township": self.township, "name": self.name,
                "month": self.month, "households": self.households, "persons": self.persons,
                "yuan_paid": f"{self.paid:.2f}"}


def paid_lines(user: Any) -> QuerySet[PaymentLine]:
    lines = PaymentLine.objects.filter(status=LineStatus.PAID)
    return lines if user is None else scope(lines, user)


def fund_statistics(user: Any, program: str | None = None,
                    year: int | None = None) -> list[FundRow]:
    """Per programme, township and month (the line's period): households, persons and
    yuan of the paid lines. One paid line per beneficiary and period is guaranteed, so
    the figures add up to the lines exactly."""
    lines = paid_lines(user)
    if program:
        lines = lines.filter(program=program)
    if year:
        lines = lines.filter(period__year=year)
    rows = (lines.order_by().values("program", "township", "period")
            .annotate(households=Count("household", distinct=True),
                      persons=Sum("persons"),
                      fen=Sum("amount", output_field=BigIntegerField()))
            .order_by("program", "period", "township"))
    names = township_names(list({r["township"] for r in rows}))
    return [FundRow(r["program"], r["township"], names.get(r["township"], ""),
                    r["period"].strftime("%Y-%m"), int(r["households"]), int(r["persons"]),
                    from_fen(int(r["fen"]))) for r in rows]


def overpayments(user: Any) -> QuerySet[Overpayment]:
    return scope(Overpayment.objects.select_related("line", "household"), user)
