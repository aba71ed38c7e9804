"""What-if simulation: the registry under parameter overrides against the baseline.

Both evaluations run over the same exported columns; the comparison is a few Polars
joins and group-bys, so a county takes seconds. "Eligible" is per programme: a household
is newly eligible when it receives a programme under the scenario that it does not
receive today, and no longer eligible when it loses one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl
from django.utils import timezone

from safetynet.core.models import Area
from safetynet.policy import ParameterSet, evaluate
from safetynet.registry.columns import registry_frames
from safetynet.registry.models import Household
from safetynet.rules.models import JobStatus, Simulation
from safetynet.rules.parameters import current_parameters
from safetynet.rules.runs import Timer, households_for_codes, run_job

LIST_LIMIT = 200
MONTHS = 12
TOWNSHIP_DIGITS = 9
KEY = ["household_id", "program"]


def execute_simulation(simulation_id: int) -> Simulation:
    """Evaluate the simulation's households with and without its overrides; store the
    comparison on the simulation (or mark it failed)."""
    simulation = Simulation.objects.get(pk=simulation_id)
    run_job(simulation, lambda: _simulate(simulation))
    return simulation


def _simulate(simulation: Simulation) -> None:
    timer = Timer()
    with timer.step("export"):
        persons, homes = registry_frames(households_for_codes(simulation.scope_codes))
    params = current_parameters()
    with timer.step("evaluate"):
        summary = compare(persons, homes, simulation.on, params, simulation.overrides)
    summary["timings"] = timer.seconds
    simulation.households, simulation.persons = homes.height, persons.height
    simulation.parameters_fingerprint = params.fingerprint()
    simulation.summary = summary
    simulation.status = JobStatus.DONE
    simulation.finished_at = timezone.now()
    simulation.save()


def compare(persons: pl.DataFrame, households: pl.DataFrame, on: Any, params: ParameterSet,
            overrides: Mapping[str, object]) -> dict[str, Any]:
    """The outcome of a simulation as JSON-ready data (see ``summary_counts`` and below)."""
    baseline = evaluate(persons, households, on, params=params)
    scenario = evaluate(persons, households, on, overrides, params=params)
    pairs = program_pairs(baseline, scenario, households)
    per_household = household_changes(pairs)
    return {
        "households": households.height,
        "persons": persons.height,
        "counts": summary_counts(per_household),
        "monthly": totals(pairs),
        "by_program": by_program(pairs),
        "by_township": by_township(pairs, townships_of(households)),
        "by_township_program": by_township_program(pairs),
        "lists": household_lists(per_household),
    }


def _per_program(result: pl.DataFrame, name: str) -> pl.DataFrame:
    return result.group_by(KEY).agg(pl.col("monthly_amount").sum().alias(name))


def program_pairs(baseline: pl.DataFrame, scenario: pl.DataFrame,
                  households: pl.DataFrame) -> pl.DataFrame:
    """One row per household and programme paid in either case: baseline, scenario, change,
    township code."""
    joined = _per_program(baseline, "baseline").join(
        _per_program(scenario, "scenario"), on=KEY, how="full", coalesce=True)
    townships = households.select(
        pl.col("id").alias("household_id"),
        pl.col("area_code").cast(pl.String).str.slice(0, TOWNSHIP_DIGITS).alias("township"))
    return (joined.with_columns(pl.col("baseline").fill_null(0), pl.col("scenario").fill_null(0))
            .with_columns(change=pl.col("scenario") - pl.col("baseline"))
            .join(townships, on="household_id", how="left"))


def household_changes(pairs: pl.DataFrame) -> pl.DataFrame:
    """Per household: totals, change, and the programmes gained and lost."""
    gained = (pl.col("baseline") == 0) & (pl.col("scenario") > 0)
    lost = (pl.col("baseline") > 0) & (pl.col("scenario") == 0)
    return pairs.group_by("household_id").agg(
        pl.col("township").first(),
        pl.col("baseline").sum(), pl.col("scenario").sum(), pl.col("change").sum(),
        pl.col("program").filter(gained).sort().alias("gained"),
        pl.col("program").filter(lost).sort().alias("lost"),
    )


def summary_counts(per_household: pl.DataFrame) -> dict[str, int]:
    return {
        "gain": per_household.filter(pl.col("change") > 0).height,
        "lose": per_household.filter(pl.col("change") < 0).height,
        "newly_eligible": per_household.filter(pl.col("gained").list.len() > 0).height,
        "no_longer_eligible": per_household.filter(pl.col("lost").list.len() > 0).height,
    }


def _sums(frame: pl.DataFrame) -> dict[str, int]:
    baseline = int(frame["baseline"].sum() or 0)
    scenario = int(frame["scenario"].sum() or 0)
    return {"baseline": baseline, "scenario": scenario, "change": scenario - baseline,
            "annual_change": (scenario - baseline) * MONTHS}


def totals(pairs: pl.DataFrame) -> dict[str, int]:
    return _sums(pairs)


def _grouped(pairs: pl.DataFrame, by: list[str]) -> list[dict[str, Any]]:
    gained = ((pl.col("baseline") == 0) & (pl.col("scenario") > 0)).sum().alias("newly")
    lost = ((pl.col("baseline") > 0) & (pl.col("scenario") == 0)).sum().alias("no_longer")
    grouped = (pairs.group_by(by)
               .agg(pl.col("baseline").sum(), pl.col("scenario").sum(), gained, lost)
               .with_columns(change=pl.col("scenario") - pl.col("baseline"))
               .with_columns(annual_change=pl.col("change") * MONTHS)
               .sort(by))
    return [{k: (int(v) if isinstance(v, int) else v) for k, v in row.items()}
            for row in grouped.iter_rows(named=True)]


def by_program(pairs: pl.DataFrame) -> list[dict[str, Any]]:
    return _grouped(pairs, ["program"])


def townships_of(households: pl.DataFrame) -> list[str]:
    codes = households["area_code"].cast(pl.String).str.slice(0, TOWNSHIP_DIGITS)
    return sorted(codes.unique().to_list())


def by_township(pairs: pl.DataFrame, townships: list[str]) -> list[dict[str, Any]]:
    """Every township with households, those without any amount at zero."""
    found = {row["township"]: row for row in _grouped(pairs, ["township"])}
    zero = dict.fromkeys(("baseline", "scenario", "newly", "no_longer", "change",
                          "annual_change"), 0)
    rows = [found.get(code, {"township": code, **zero}) for code in townships]
    names = dict(Area.objects.filter(code__in=townships).values_list("code", "name"))
    return [{**row, "name": names.get(row["township"], row["township"])} for row in rows]


def by_township_program(pairs: pl.DataFrame) -> list[dict[str, Any]]:
    return [row for row in _grouped(pairs, ["township", "program"]) if row["change"]]


def household_lists(per_household: pl.DataFrame) -> dict[str, list[dict[str, Any]]]:
    """The households behind each count, largest changes first (at most LIST_LIMIT each)."""
    selections = {
        "gain": per_household.filter(pl.col("change") > 0).sort("change", descending=True),
        "lose": per_household.filter(pl.col("change") < 0).sort("change"),
        "newly_eligible": per_household.filter(pl.col("gained").list.len() > 0)
        .sort("change", descending=True),
        "no_longer_eligible": per_household.filter(pl.col("lost").list.len() > 0)
        .sort("change"),
    }
    lists = {name: frame.head(LIST_LIMIT).to_dicts() for name, frame in selections.items()}
    ids = {row["household_id"] for rows in lists.values() for row in rows}
    numbers = dict(Household.objects.filter(pk__in=ids).values_list("pk", "number"))
    for rows in lists.values():
        for row in rows:
            row["number"] = numbers.get(row["household_id"], "")
    return lists
