"""Preparing a payroll run: the enrolments in force in each month of the period become
payment lines, written by COPY on PostgreSQL (batched INSERTs elsewhere).

One SQL query per month reads what is due (dates, the amount in force that month,
suspensions, deaths) straight into Polars; a quarterly programme sums its three months
per enrolment. Beneficiaries that already have a pending or paid line for the programme
and period are left out (and named in the warnings), so preparing again after an
interruption writes exactly the lines that are missing: none, once the run committed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import polars as pl
from django.db import connection

from safetynet.benefits.models import Enrollment, EnrollmentEvent, Suspension
from safetynet.benefits.months import add_months
from safetynet.core.bulk import insert_frame
from safetynet.payments.models import PaymentLine
from safetynet.registry.models import Household, Person

LINE_COLUMNS = (
    "run_id", "program", "period", "beneficiary", "enrollment_id", "household_id",
    "person_id", "area_id", "township", "months", "monthly_amount", "amount", "persons",
    "bank_name", "bank_account", "bank_account_index", "status", "bank_reason",
    "bank_reference",
)
TEXT_NOT_NULL = ("program", "beneficiary", "township", "bank_name", "bank_account", "status",
                 "bank_reason", "bank_reference")
DUE_SCHEMA: dict[str, pl.DataType] = {
    "enrollment_id": pl.Int64(), "household_id": pl.Int64(), "person_id": pl.Int64(),
    "beneficiary": pl.String(), "area_id": pl.String(), "persons": pl.Int64(),
    "amount": pl.Int64(), "bank_name": pl.String(), "bank_account": pl.String(),
    "bank_account_index": pl.String(),
}


def _table(model: Any) -> str:
    return str(connection.ops.quote_name(model._meta.db_table))


def due_sql() -> str:
    """What is due for one programme in one month (params: month ×5, program, month ×3):
    the amount in force that month (fen), the household's account (ciphertext as stored)."""
    enrolment, event = _table(Enrollment), _table(EnrollmentEvent)
    suspension, household, person = _table(Suspension), _table(Household), _table(Person)
    return f"""
SELECT e.id, e.household_id, e.person_id, e.beneficiary, h.area_id, e.persons,
       CASE WHEN e.amount_from <= %s THEN e.monthly_amount
            ELSE (SELECT ev.amount FROM {event} ev
                  WHERE ev.enrollment_id = e.id AND ev.amount IS NOT NULL
                    AND ev.effective_month <= %s
                  ORDER BY ev.effective_month DESC, ev.id DESC LIMIT 1) END,
       h.bank_name, h.bank_account, h.bank_account_index
FROM {enrolment} e
JOIN {household} h ON h.id = e.household_id
LEFT JOIN {person} p ON p.id = e.person_id
WHERE e.start_month <= %s AND (e.end_month IS NULL OR e.end_month >= %s)
  AND (p.deceased_on IS NULL OR p.deceased_on >= %s)
  AND e.program = %s
  AND NOT EXISTS (SELECT 1 FROM {suspension} s WHERE s.enrollment_id = e.id
                  AND s.from_month <= %s AND (s.until_month IS NULL OR s.until_month > %s))
ORDER BY e.id"""


def due_in_month(program: str, month: date) -> pl.DataFrame:
    m = connection.ops.adapt_datefield_value(month)
    chunks = []
    with connection.cursor() as cursor:
        cursor.execute(due_sql(), [m, m, m, m, m, program, m, m])
        while batch := cursor.fetchmany(50_000):
            chunks.append(pl.DataFrame(batch, schema=DUE_SCHEMA, orient="row"))
    frame = pl.concat(chunks) if chunks else pl.DataFrame(schema=DUE_SCHEMA)
    return frame.filter(pl.col("amount").is_not_null() & (pl.col("amount") > 0))


def due_in_period(program: str, period: date, months: int) -> pl.DataFrame:
    """Per enrolment: months due in the period, the last monthly amount, the sum (fen)."""
    frames = [due_in_month(program, add_months(period, i)).with_columns(pl.lit(i).alias("i"))
              for i in range(months)]
    frame = pl.concat(frames)
    return (frame.sort("enrollment_id", "i")
            .group_by("enrollment_id", maintain_order=True)
            .agg(pl.exclude("amount", "i").last(), pl.len().alias("months"),
                 pl.col("amount").last().alias("monthly_amount"),
                 pl.col("amount").sum().alias("amount")))


@dataclass
class Prepared:
    rows: pl.DataFrame
    warnings: list[dict[str, Any]] = field(default_factory=list)


def already_paid(program: str, period: date) -> set[str]:
    return set(PaymentLine.objects.filter(program=program, period=period,
                                          status__in=("pending", "paid"))
               .values_list("beneficiary", flat=True))


def build_lines(run_id: int, program: str, period: date, months: int) -> Prepared:
    """The lines of a run, in enrolment order, and what was left out and why."""
    due = due_in_period(program, period, months)
    warnings: list[dict[str, Any]] = []
    doubled = due.filter(pl.col("beneficiary").is_duplicated())
    if doubled.height:
        warnings.append({"code": "two_enrolments",
                         "beneficiaries": doubled["beneficiary"].unique().sort().to_list()})
        due = due.unique("beneficiary", keep="first", maintain_order=True)
    paid = already_paid(program, period)
    if paid:
        skipped = due.filter(pl.col("beneficiary").is_in(list(paid)))
        if skipped.height:
            warnings.append({"code": "already_paid", "count": skipped.height})
        due = due.filter(~pl.col("beneficiary").is_in(list(paid)))
    rows = due.select(
        pl.lit(run_id, pl.Int64).alias("run_id"), pl.lit(program).alias("program"),
        pl.lit(period.isoformat()).alias("period"), "beneficiary", "enrollment_id",
        "household_id", "person_id", "area_id", pl.col("area_id").str.slice(0, 9)
        .alias("township"), pl.col("months").cast(pl.Int64), "monthly_amount", "amount",
        "persons", pl.col("bank_name").fill_null(""), pl.col("bank_account").fill_null(""),
        "bank_account_index", pl.lit("pending").alias("status"),
        pl.lit("").alias("bank_reason"), pl.lit("").alias("bank_reference"))
    return Prepared(rows, warnings)


def control_totals(rows: pl.DataFrame) -> dict[str, dict[str, int]]:
    """Per township: lines and the sum in fen."""
    if rows.height == 0:
        return {}
    grouped = rows.group_by("township").agg(pl.len().alias("lines"),
                                            pl.col("amount").sum().alias("fen")).sort("township")
    return {r["township"]: {"lines": int(r["lines"]), "fen": int(r["fen"])}
            for r in grouped.iter_rows(named=True)}


def insert_lines(rows: pl.DataFrame) -> None:
    """COPY on PostgreSQL, batched inserts elsewhere (inside the caller's transaction)."""
    insert_frame(PaymentLine, LINE_COLUMNS, rows, text_not_null=TEXT_NOT_NULL)
