"""Read side of the payroll: runs, their lines (through the jurisdiction filter), fund
statistics, overpayments."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import BigIntegerField, Count, QuerySet, Sum

from safetynet.core.jurisdiction import scope
from safetynet.core.models import Area
from safetynet.core.money import from_fen
from safetynet.payments.models import LineStatus, Overpayment, PaymentLine, PayrollRun


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
