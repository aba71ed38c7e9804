"""Enrolments of the demo county: everyone the rules pay on 2022-01-01 is enrolled, most
from January 2022 (approved in December 2021) and a share of each programme approved
during 2022 (``NEW_IN_2022``: paid from a month between February and September), so the
2022 payrolls have lines and the year has the turnover a real county has.

Amounts are the engine's on that date (dated parameters, nothing hard-coded); the rows
go in by COPY (PostgreSQL) or batched INSERTs, with one "enrolled" history event each.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import lru_cache

import polars as pl
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext

from safetynet.benefits.models import Enrollment, EnrollmentEvent, Program
from safetynet.benefits.schedule import NO_REVIEW, interval
from safetynet.demo import fastload
from safetynet.policy import evaluate
from safetynet.registry.columns import registry_frames
from safetynet.registry.models import Household
from safetynet.rules.parameters import current_parameters

START = date(2022, 1, 1)
APPROVED = date(2021, 12, 20)
FIRST_REVIEW = date(2023, 1, 1)
# Share of each programme's beneficiaries approved in 2022 rather than before (Donghai's
# 2022 screening campaign brought many elderly people without support into tekun).
NEW_IN_2022 = {"dibao": 0.05, "tekun_basic": 0.46, "tekun_care": 0.46,
               "disability_living": 0.02, "disability_nursing": 0.02}
LATEST_START_MONTH = 9


def paid_rows(county_code: str) -> pl.DataFrame:
    """The engine's positive amounts on START for the county, payroll programmes only,
    with the persons each covers (dibao: the members not in extreme-poverty support)."""
    persons, homes = registry_frames(Household.objects.filter(area__code__startswith=county_code))
    result = evaluate(persons, homes, START, params=current_parameters())
    result = result.filter(pl.col("program").is_in(list(Program.values)))
    tekun = (result.filter(pl.col("program").str.starts_with("tekun"))
             .select("person_id").unique())
    counted = (persons.filter(~pl.col("id").is_in(tekun["person_id"].to_list()))
               .group_by("household_id").agg(pl.len().alias("counted")))
    return (result.join(counted, on="household_id", how="left")
            .with_columns(pl.when(pl.col("person_id").is_null())
                          .then(pl.col("counted").fill_null(1)).otherwise(1).alias("persons")))


def enrol_county(county_code: str) -> int:
    """Enrol the county's eligible households and persons; returns how many (0 when the
    county already has enrolments)."""
    if Enrollment.objects.filter(household__area__code__startswith=county_code).exists():
        return 0
    rows = paid_rows(county_code)
    with transaction.atomic():
        writer = fastload.Writer([Enrollment, EnrollmentEvent], history=False)
        enrolments = [_enrolment(row) for row in rows.iter_rows(named=True)]
        writer.assign_pks(Enrollment, enrolments)
        writer.insert(Enrollment, enrolments)
        events = [_event(e, writer.now) for e in enrolments]
        writer.assign_pks(EnrollmentEvent, events)
        writer.insert(EnrollmentEvent, events)
        writer.finish()
    return len(enrolments)


@lru_cache(maxsize=1)
def _stable_interval() -> int:
    return interval(settings.SAFETYNET_COUNTY_CODE, APPROVED)


def start_of(program: str, key: int) -> tuple[date, date]:
    """(approved on, first month paid) of the beneficiary ``key`` (person or household id),
    the same for every run of the generator."""
    spread = (key * 2654435761) % 1000
    if spread >= NEW_IN_2022.get(program, 0.0) * 1000:
        return APPROVED, START
    month = 2 + (key * 40503) % (LATEST_START_MONTH - 1)
    return date(2022, month - 1, 20), date(2022, month, 1)


def _enrolment(row: dict[str, object]) -> dict[str, object]:
    person = row["person_id"]
    program = str(row["program"])
    months = 0 if program in NO_REVIEW else _stable_interval()
    approved, start = start_of(program, int(person or row["household_id"]))  # type: ignore[call-overload]
    return {"program": program, "household_id": row["household_id"], "person_id": person,
            "beneficiary": f"p{person}" if person else f"h{row['household_id']}",
            "status": "active", "approved_on": approved, "start_month": start,
            "amount_from": start, "monthly_amount": Decimal(int(row["monthly_amount"])),  # type: ignore[call-overload]
            "persons": row["persons"], "review_months": months,
            "next_review": FIRST_REVIEW if months else None,
            "explanation": gettext("Demo county: the rules' amount on 2022-01-01.")}


def _event(enrolment: dict[str, object], now: object) -> dict[str, object]:
    return {"enrollment_id": enrolment["id"], "kind": "enrolled",
            "effective_month": enrolment["start_month"],
            "amount": enrolment["monthly_amount"], "reason": gettext("demo county generator"),
            "at": now}
