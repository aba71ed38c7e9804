"""The ledger every money figure is counted from: per payment figure, year, beneficiary and
village, the fen paid and the persons covered in each month.

Counting distinct households and persons over a county's year of payment lines (some
340,000) takes seconds; over the ledger (one row per beneficiary, some 70,000 a year) it
takes a fraction of one. The ledger is derived data: ``ensure_current`` compares a
fingerprint of each programme's year (its payroll runs and the bank returns read for
them: the only ways lines become paid) with the one it was built from and rebuilds what
changed, before any figure is read. ``rebuild_all`` rebuilds everything (``safetynet
report refresh``; e.g. after households changed hukou type).

Figures (``lines.PAYMENT_FIGURES``) over a ledger row: paid in the report's months when
the most persons of those months is above 0; households are distinct households;
persons are distinct persons, or for household-level figures the sum over households of
the most persons covered in the months; yuan are the fen of those months.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import polars as pl
from django.db import connection, transaction
from django.db.models import (
    BigIntegerField,
    Case,
    CharField,
    Count,
    F,
    Max,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Greatest

from safetynet.core.bulk import insert_frame
from safetynet.core.jurisdiction import scope
from safetynet.payments.models import BankFile, LineStatus, PaymentLine, PayrollRun
from safetynet.registry.models import Household
from safetynet.reports.lines import PAYMENT_FIGURES, PaymentFigure
from safetynet.reports.models import MONTHS, LedgerMonth, LedgerRow, LedgerState
from safetynet.reports.query import ReportQuery

TOTAL, UNIT, MONTH = "total", "unit", "month"
COLUMNS = ("figure", "year", "household_id", "person_id", "area_id", "township",
           *(f"f{m}" for m in MONTHS), *(f"p{m}" for m in MONTHS))
MONTH_COLUMNS = ("figure", "period", "area_id", "township", "households", "persons", "lines",
                 "fen")


@dataclass
class Totals:
    households: int = 0
    persons: int = 0
    fen: int = 0


Cells = dict[str, dict[str, Totals]]  # group (unit code, month label, area) -> figure -> totals


# --- keeping the ledger current -------------------------------------------------------------


def fingerprints() -> dict[tuple[str, int], str]:
    """(programme, year) -> fingerprint of its runs and bank returns. Two small queries."""
    parts: dict[tuple[str, int], list[Any]] = defaultdict(list)
    for row in PayrollRun.objects.order_by("pk").values_list(
            "pk", "program", "period", "status", "lines", "total"):
        parts[(row[1], row[2].year)].append(row)
    returns = dict(BankFile.objects.filter(direction="return").order_by().values("run_id")
                   .annotate(n=Count("pk"), last=Max("pk")).values_list("run_id", "last"))
    return {key: hashlib.sha256(repr([(*r, returns.get(r[0])) for r in rows]).encode())
            .hexdigest() for key, rows in parts.items()}


def ensure_current(years: Iterable[int] | None = None) -> int:
    """Rebuild the programme years (of ``years``, or all) whose runs changed since they
    were built; returns how many were rebuilt."""
    wanted = set(years) if years is not None else None
    now = {k: v for k, v in fingerprints().items() if wanted is None or k[1] in wanted}
    built = {(s.program, s.year): s.fingerprint for s in LedgerState.objects.filter(
        year__in=sorted({y for _p, y in now} | (wanted or set())))}
    stale = {k for k, v in now.items() if built.get(k) != v}
    stale |= {k for k in built if k not in now and (wanted is None or k[1] in wanted)}
    by_year: dict[int, set[str]] = defaultdict(set)
    for program, year in stale:
        by_year[year].add(program)
    for year, programs in sorted(by_year.items()):
        rebuild(year, programs, {p: now.get((p, year), "") for p in programs})
    return len(stale)


def rebuild_all() -> int:
    LedgerState.objects.all().delete()
    return ensure_current()


@transaction.atomic
def rebuild(year: int, programs: set[str], prints: dict[str, str]) -> None:
    """Rewrite the ledger rows of every figure that counts one of ``programs`` in ``year``
    from the paid lines. One rebuild of a year at a time (a PostgreSQL advisory lock;
    SQLite writes one at a time anyway); one that finds the work done by another stops."""
    _lock(year)
    done = dict(LedgerState.objects.filter(year=year, program__in=list(prints))
                .values_list("program", "fingerprint"))
    if done == prints:
        return
    figures = [f for f in PAYMENT_FIGURES if set(f.programs) & programs]
    needed = sorted({p for f in figures for p in f.programs})
    lines = _paid_lines(year, needed)
    keys = [f.key for f in figures]
    LedgerRow.objects.filter(year=year, figure__in=keys).delete()
    LedgerMonth.objects.filter(period__year=year, figure__in=keys).delete()
    for figure in figures:
        rows = _rows(figure, year, lines)
        insert_frame(LedgerRow, COLUMNS, rows)
        insert_frame(LedgerMonth, MONTH_COLUMNS, _months(figure, year, rows))
    LedgerState.objects.filter(year=year, program__in=list(prints)).delete()
    LedgerState.objects.bulk_create([LedgerState(program=p, year=year, fingerprint=f)
                                     for p, f in prints.items()])


LOCK_KEY = 0x5AFE_2022_0000  # + year: the advisory lock of a year's rebuild


def _lock(year: int) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY + year])


def _paid_lines(year: int, programs: list[str]) -> pl.DataFrame:
    """The year's paid lines of ``programs``: one query, fen as integers."""
    line, household = PaymentLine._meta.db_table, Household._meta.db_table
    marks = ", ".join(["%s"] * len(programs))
    sql = (f"SELECT l.program, l.household_id, l.person_id, l.area_id, l.period, l.amount, "
           f"l.persons, h.hukou FROM {line} l JOIN {household} h ON h.id = l.household_id "
           f"WHERE l.status = %s AND l.period >= %s AND l.period < %s AND l.program IN ({marks})")
    with connection.cursor() as cursor:
        cursor.execute(sql, [LineStatus.PAID, date(year, 1, 1), date(year + 1, 1, 1),
                             *programs])
        rows = cursor.fetchall()
    schema = {"program": pl.String, "household_id": pl.Int64, "person_id": pl.Int64,
              "area_id": pl.String, "period": pl.String, "fen": pl.Int64,
              "persons": pl.Int64, "hukou": pl.String}
    frame = pl.DataFrame([(*r[:4], str(r[4]), *r[5:]) for r in rows], schema=schema,
                         orient="row")
    return frame.with_columns(month=pl.col("period").str.slice(5, 2).cast(pl.Int64))


def _rows(figure: PaymentFigure, year: int, lines: pl.DataFrame) -> pl.DataFrame:
    """One row per beneficiary and village with the figure's fen and persons by month."""
    mine = lines.filter(pl.col("program").is_in(list(figure.programs)))
    if figure.hukou:
        mine = mine.filter(pl.col("hukou") == figure.hukou)
    key = "household_id" if figure.household_level else "person_id"
    if not figure.household_level:
        mine = mine.with_columns(persons=pl.lit(1, pl.Int64))
    months = [pl.col("fen").filter(pl.col("month") == m).sum().alias(f"f{m}") for m in MONTHS]
    months += [pl.col("persons").filter(pl.col("month") == m).max().fill_null(0).alias(f"p{m}")
               for m in MONTHS]
    grouped = mine.group_by([key, "area_id"]).agg(
        pl.col("household_id").first().alias("household_id") if key != "household_id"
        else pl.col("person_id").first().alias("person_id"), *months)
    if figure.household_level:
        grouped = grouped.with_columns(person_id=pl.lit(None, pl.Int64))
    return grouped.with_columns(figure=pl.lit(figure.key), year=pl.lit(year, pl.Int64),
                                township=pl.col("area_id").str.slice(0, 9))


def _months(figure: PaymentFigure, year: int, rows: pl.DataFrame) -> pl.DataFrame:
    """Per village and month: households, persons and lines paid, and their fen (from the
    figure's ledger rows: a row paid in a month is one beneficiary paid once)."""
    parts = []
    for m in MONTHS:
        paid = rows.filter(pl.col(f"p{m}") > 0)
        if paid.height == 0:
            continue
        persons = (pl.col(f"p{m}").sum() if figure.household_level
                   else pl.col("person_id").n_unique())
        parts.append(paid.group_by("area_id").agg(
            households=pl.col("household_id").n_unique(), persons=persons,
            lines=pl.len(), fen=pl.col(f"f{m}").sum()).with_columns(
            period=pl.lit(date(year, m, 1))))
    if not parts:
        return pl.DataFrame()
    return pl.concat(parts, how="vertical_relaxed").with_columns(
        figure=pl.lit(figure.key), township=pl.col("area_id").str.slice(0, 9))


# --- reading figures ------------------------------------------------------------------------


def rows_in(query: ReportQuery, user: Any, figures: Sequence[PaymentFigure]
            ) -> QuerySet[LedgerRow]:
    """The ledger rows of ``figures`` in the query's years, area and jurisdiction (current:
    stale programme years are rebuilt first)."""
    years = sorted({m.year for m in query.months})
    ensure_current(years)
    rows = LedgerRow.objects.filter(figure__in=[f.key for f in figures], year__in=years,
                                    area__code__startswith=query.area)
    return rows if user is None else scope(rows, user)


def _by_year(query: ReportQuery) -> dict[int, list[int]]:
    found: dict[int, list[int]] = defaultdict(list)
    for month in query.months:
        found[month.year].append(month.month)
    return found


def _per_year(parts: dict[int, Any], output: Any) -> Any:
    if len(parts) == 1:
        return next(iter(parts.values()))
    return Case(*[When(year=y, then=e) for y, e in parts.items()], default=Value(0),
                output_field=output)


def _most(months: list[int]) -> Any:
    columns = [F(f"p{m}") for m in months]
    return columns[0] if len(columns) == 1 else Greatest(*columns)


def _fen(months: list[int]) -> Any:
    total: Any = F(f"f{months[0]}")
    for month in months[1:]:
        total = total + F(f"f{month}")
    return total


def cells(query: ReportQuery, user: Any, figures: Sequence[PaymentFigure],
          by: str = TOTAL) -> Cells:
    """Households, persons and fen of each figure over the query's months, as one group
    (``TOTAL``: keyed by the query's area), per unit below the area (``UNIT``: townships
    of a county, villages of a township) or per month (``MONTH``: keyed YYYY-MM). A fixed
    number of queries: at most three after the ledger check."""
    found: Cells = defaultdict(dict)
    if not figures:
        return found
    if by == MONTH:
        _monthly(query, user, figures, found)
        return found
    years = _by_year(query)
    most = _per_year({y: _most(ms) for y, ms in years.items()}, BigIntegerField())
    fen = _per_year({y: _fen(ms) for y, ms in years.items()}, BigIntegerField())
    group: Any = (Value(query.area, CharField()) if by == TOTAL
                         else F("township") if len(query.area) <= 6 else F("area_id"))
    paid = (rows_in(query, user, figures).order_by().annotate(g=group, most=most, fen=fen)
            .filter(most__gt=0))
    for r in paid.values("g", "figure").annotate(
            h=Count("household_id", distinct=True), p=Count("person_id", distinct=True),
            a=Sum("fen")):
        found[r["g"]][r["figure"]] = Totals(int(r["h"]), int(r["p"]), int(r["a"] or 0))
    household_level = [f.key for f in figures if f.household_level]
    if household_level:
        _household_persons(paid.filter(figure__in=household_level), found)
    return found


def latest_month(user: Any) -> date | None:
    """The last month with anything paid inside ``user``'s jurisdiction (one query after the
    ledger check)."""
    ensure_current()
    months = LedgerMonth.objects.filter(lines__gt=0)
    months = months if user is None else scope(months, user)
    found: date | None = months.order_by().aggregate(last=Max("period"))["last"]
    return found


def paid_by_program(query: ReportQuery, user: Any) -> dict[str, tuple[int, int]]:
    """Programme -> (paid lines, fen) in the months. One query over the village months."""
    single = [f for f in PAYMENT_FIGURES if len(f.programs) == 1]
    program = {f.key: f.programs[0] for f in single}
    found: dict[str, tuple[int, int]] = {}
    for r in months_in(query, user, single).order_by().values("figure").annotate(
            n=Sum("lines"), a=Sum("fen")):
        n, a = found.get(program[r["figure"]], (0, 0))
        found[program[r["figure"]]] = (n + int(r["n"] or 0), a + int(r["a"] or 0))
    return found


def paid_rows(query: ReportQuery, user: Any, figure: PaymentFigure) -> QuerySet[LedgerRow]:
    """The beneficiaries one figure counts: its ledger rows paid in the months, each with
    ``fen`` (paid in the months) and ``most`` (most persons covered in a month), in the
    order of a drill-down list (township, village, household)."""
    years = _by_year(query)
    most = _per_year({y: _most(ms) for y, ms in years.items()}, BigIntegerField())
    fen = _per_year({y: _fen(ms) for y, ms in years.items()}, BigIntegerField())
    return (rows_in(query, user, [figure]).annotate(most=most, fen=fen).filter(most__gt=0)
            .select_related("area__parent")
            .order_by("township", "area_id", "household_id", "person_id", "year"))


def _household_persons(paid: QuerySet[LedgerRow], found: Cells) -> None:
    """Per household the most persons covered in the months (over its villages and years),
    summed per group and figure."""
    persons: dict[tuple[str, str], int] = defaultdict(int)
    for g, figure, most in paid.values("g", "figure", "household_id").annotate(  # type: ignore[misc]
            m=Max("most")).values_list("g", "figure", "m"):
        persons[(g, figure)] += int(most)
    for (g, figure), total in persons.items():
        found[g].setdefault(figure, Totals()).persons = total


def months_in(query: ReportQuery, user: Any,
              figures: Sequence[PaymentFigure]) -> QuerySet[LedgerMonth]:
    """The village months of ``figures`` in the query's months, area and jurisdiction."""
    ensure_current(sorted({m.year for m in query.months}))
    months = LedgerMonth.objects.filter(figure__in=[f.key for f in figures],
                                        period__gte=query.start, period__lte=query.end,
                                        area__code__startswith=query.area)
    return months if user is None else scope(months, user)


def _monthly(query: ReportQuery, user: Any, figures: Sequence[PaymentFigure],
             found: Cells) -> None:
    """Per month: households, persons and fen paid that month (one query over the village
    months: a beneficiary is in one village in a month)."""
    for r in months_in(query, user, figures).order_by().values("period", "figure").annotate(
            h=Sum("households"), p=Sum("persons"), a=Sum("fen")):
        found[f"{r['period']:%Y-%m}"][r["figure"]] = Totals(int(r["h"] or 0),
                                                             int(r["p"] or 0),
                                                             int(r["a"] or 0))
