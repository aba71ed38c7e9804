"""Read-side of the rules app: a household's benefits explained, the parameter pages, and
the runs and simulations a user may see."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import polars as pl
from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from safetynet.core.jurisdiction import covers, user_area_codes
from safetynet.core.models import Area
from safetynet.core.panels import Panel
from safetynet.policy import ParameterError, ParameterSet
from safetynet.policy.engine import build_context, collect_rows, explain_categories, explain_row
from safetynet.policy.jsonio import per_capita_income
from safetynet.policy.need import DIMENSIONS, need_frame
from safetynet.policy.params import DatedValue, Parameter
from safetynet.policy.programs import PROGRAM_NAMES
from safetynet.registry.columns import registry_frames
from safetynet.registry.models import Household
from safetynet.rules import labels
from safetynet.rules.models import (
    ChangeStatus,
    EvaluationRun,
    Job,
    JobStatus,
    ParameterChange,
    Simulation,
)
from safetynet.rules.parameters import current_parameters

# --- a household's benefits, for the household page ----------------------------------------


@dataclass(frozen=True)
class Benefit:
    program: str
    label: str
    person: str | None  # the member's name; None for the household's dibao
    hidden: bool  # the member's record is closed to this user (child under 14)
    monthly_amount: int
    explanation: str


@dataclass(frozen=True)
class Category:
    name: str
    label: str
    explanation: str


@dataclass(frozen=True)
class Need:
    score: int
    level: str
    level_label: str
    dimensions: list[tuple[str, int]]
    recommendations: list[tuple[str, str]]  # (label, reason)


@dataclass
class HouseholdBenefits:
    on: date
    active: bool = True
    error: str = ""
    per_capita_income: float = 0.0
    benefits: list[Benefit] = field(default_factory=list)
    categories: list[Category] = field(default_factory=list)
    need: Need | None = None

    @property
    def monthly_total(self) -> int:
        return sum(b.monthly_amount for b in self.benefits)


def first_of_month(day: date | None = None) -> date:
    return (day or timezone.localdate()).replace(day=1)


def household_benefits(household: Household, closed: Iterable[int] = (),
                       on: date | None = None, lang: str | None = None) -> HouseholdBenefits:
    """Each programme's amount for ``household`` with its explanation, its categories and
    need assessment, evaluated now (on the first day of the current month by default).

    ``closed`` are member ids whose records the user may not open: their benefits show
    without the name. Explanations are the engine's own, in the active language.
    """
    when = on or first_of_month()
    view = HouseholdBenefits(on=when, active=household.active)
    if not household.active:
        return view
    persons, homes = registry_frames(Household.objects.filter(pk=household.pk))
    if homes.height == 0:
        return view
    try:
        _explain(view, persons, homes, current_parameters(), _members(household, closed),
                 labels.engine_language(lang or get_language()))
    except ParameterError as exc:
        view.error = exc.message
    return view


def _members(household: Household, closed: Iterable[int]) -> dict[int, tuple[str, bool]]:
    hidden = set(closed)
    return {p.pk: (p.name, p.pk in hidden) for p in household.members.all()}


def _explain(view: HouseholdBenefits, persons: pl.DataFrame, homes: pl.DataFrame,
             params: ParameterSet, members: dict[int, tuple[str, bool]], lang: str) -> None:
    ctx = build_context(persons, homes, view.on, params=params)
    rows = collect_rows(ctx)
    person_ids = persons["id"].to_list()
    for i in range(len(rows)):
        p = int(rows.person[i])
        name, hidden = members.get(person_ids[p], ("", False)) if p >= 0 else (None, False)
        program = PROGRAM_NAMES[int(rows.program[i])]
        view.benefits.append(Benefit(program, labels.program_label(program),
                                     None if hidden else name, hidden, int(rows.amount[i]),
                                     explain_row(ctx, rows, i, lang)))
    view.per_capita_income = float(per_capita_income(ctx)[0])
    view.categories = [Category(name, str(labels.CATEGORIES[name]), text)
                       for name, text in explain_categories(ctx, 0, lang).items()]
    view.need = _need(need_frame(ctx, homes, lang).row(0, named=True))


def _need(row: dict[str, Any]) -> Need:
    return Need(
        score=int(row["score"]), level=row["level"],
        level_label=str(labels.NEED_LEVELS[row["level"]]),
        dimensions=[(str(labels.NEED_DIMENSIONS[d]), int(row[d])) for d in DIMENSIONS],
        recommendations=[(str(labels.RECOMMENDATIONS.get(name, name)), reason)
                         for name, reason in zip(row["recommendations"], row["reasons"],
                                                 strict=True)],
    )


# --- parameters -----------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryEntry:
    scope: str
    scope_name: str
    start: date
    value: str
    reference: str
    illustrative: bool
    in_force: bool
    change: ParameterChange | None


@dataclass
class ParameterView:
    name: str
    label: str
    unit: str
    unit_label: str
    keys: tuple[str, ...] | None
    history: list[HistoryEntry]
    pending: list[ParameterChange] = field(default_factory=list)

    @property
    def illustrative(self) -> bool:
        return any(entry.illustrative and entry.in_force for entry in self.history)


def show_value(raw: object, param: Parameter | None = None, lang: str = "zh") -> str:
    """A dated value as a person reads it: ``城镇 650 · 农村 650``, ``1.3``, ``✓``; the
    entries of a keyed parameter by their names in ``lang``."""
    if isinstance(raw, dict):
        def name(key: object) -> str:
            return param.key_label(str(key), lang) if param is not None else str(key)

        return " · ".join(f"{name(key)} {show_value(value)}" for key, value in raw.items())
    if isinstance(raw, bool):
        return "✓" if raw else "✗"
    return str(raw)


def parameter_views(today: date | None = None, lang: str | None = None,
                    names: Iterable[str] | None = None) -> list[ParameterView]:
    """Every parameter (or those ``names``) with its value history, newest first."""
    params = current_parameters()
    wanted = sorted(names) if names is not None else sorted(params.parameters)
    changes = list(ParameterChange.objects.filter(parameter__in=wanted)
                   .exclude(status__in=(ChangeStatus.WITHDRAWN,))
                   .select_related("proposed_by", "decided_by"))
    places = _place_names(params, wanted)
    english = labels.engine_language(lang or get_language()) == "en"
    return [_view(params[name], changes, places, today or timezone.localdate(), english)
            for name in wanted]


def _place_names(params: ParameterSet, names: list[str]) -> dict[str, str]:
    codes = {scope for name in names for scope in params[name].scopes}
    places = {code: str(name) for code, name in labels.REGIONS.items()}
    return {**places, **dict(Area.objects.filter(code__in=codes).values_list("code", "name"))}


def _view(param: Parameter, changes: list[ParameterChange], places: dict[str, str],
          today: date, english: bool) -> ParameterView:
    approved = {(c.scope, c.effective_from): c for c in changes
                if c.parameter == param.name and c.status == ChangeStatus.APPROVED}
    lang = "en" if english else "zh"
    history = [_entry(param, scope, dated, param.value_on(scope, today), approved, places,
                      lang)
               for scope, values in param.scopes.items() for dated in values]
    history.sort(key=lambda e: (e.start, len(e.scope)), reverse=True)
    return ParameterView(
        name=param.name, label=param.label_en if english else param.label_zh,
        unit=param.unit, unit_label=str(labels.UNITS.get(param.unit, param.unit)),
        keys=tuple(param.key_label(k, lang) for k in param.keys) if param.keys else None,
        history=history,
        pending=[c for c in changes if c.parameter == param.name and c.pending])


def _entry(param: Parameter, scope: str, dated: DatedValue, current: DatedValue | None,
           approved: dict[tuple[str, date], ParameterChange],
           places: dict[str, str], lang: str) -> HistoryEntry:
    return HistoryEntry(
        scope=scope, scope_name=places.get(scope, ""), start=dated.start,
        value=show_value(dated.raw, param, lang), reference=dated.reference_in(lang),
        illustrative=dated.reference.strip().lower() == "illustrative",
        in_force=current is dated, change=approved.get((scope, dated.start)))


def pending_changes_for(user: Any) -> list[ParameterChange]:
    """Changes awaiting a decision inside the user's areas, proposed by someone else."""
    pending = (ParameterChange.objects.filter(status=ChangeStatus.PROPOSED)
               .exclude(proposed_by=user).select_related("proposed_by"))
    return [change for change in pending if covers(user, change.scope)]


# --- runs and simulations -------------------------------------------------------------------


def visible(job: Job, user: Any) -> bool:
    """A job is visible to users whose areas cover every area it evaluated (a job over the
    whole registry: the county's)."""
    codes = job.scope_codes or [str(settings.SAFETYNET_COUNTY_CODE)]
    return bool(user_area_codes(user)) and all(covers(user, code) for code in codes)


def runs_for(user: Any, limit: int = 20) -> list[EvaluationRun]:
    runs = EvaluationRun.objects.select_related("requested_by")[: limit * 5]
    return [run for run in runs if visible(run, user)][:limit]


def simulations_for(user: Any, limit: int = 20) -> list[Simulation]:
    simulations = Simulation.objects.select_related("requested_by")[: limit * 5]
    return [s for s in simulations if visible(s, user)][:limit]


LIST_NAMES = ("gain", "lose", "newly_eligible", "no_longer_eligible")


def simulation_outcome(simulation: Simulation) -> dict[str, Any] | None:
    """A finished simulation's summary ready for the page: labels, table and chart data."""
    summary = simulation.summary
    if simulation.status != JobStatus.DONE or not summary:
        return None
    programs = [row["program"] for row in summary["by_program"] if row["change"]]
    return {
        **summary,
        "by_program": [{**row, "label": labels.program_label(row["program"])}
                       for row in summary["by_program"]],
        "matrix": _matrix(summary, programs),
        "program_labels": [labels.program_label(p) for p in programs],
        "lists": {name: [_listed(row) for row in summary["lists"][name]]
                  for name in LIST_NAMES},
        "chart": _chart(summary, programs),
    }


def _changes_by(summary: dict[str, Any]) -> dict[tuple[str, str], int]:
    return {(row["township"], row["program"]): int(row["change"])
            for row in summary["by_township_program"]}


def _matrix(summary: dict[str, Any], programs: list[str]) -> list[dict[str, Any]]:
    """Rows by township: name, the monthly change of each programme that changes, totals."""
    changes = _changes_by(summary)
    return [{**row, "cells": [changes.get((row["township"], p), 0) for p in programs]}
            for row in summary["by_township"]]


def _chart(summary: dict[str, Any], programs: list[str]) -> dict[str, Any]:
    """ECharts data: change of monthly cost by township, one stacked series per programme."""
    changes = _changes_by(summary)
    townships = summary["by_township"]
    series = [{"name": labels.program_label(p),
               "data": [changes.get((t["township"], p), 0) for t in townships]}
              for p in programs if any(changes.get((t["township"], p)) for t in townships)]
    return {"categories": [t["name"] for t in townships], "series": series,
            "axis": _("Change in monthly cost (yuan)")}


def _listed(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "gained": [labels.program_label(p) for p in row["gained"]],
            "lost": [labels.program_label(p) for p in row["lost"]]}


def benefits_panel(user: Any, household: Household, closed: Iterable[int] = ()) -> Panel:
    """The household page's benefits section (registered in RulesConfig.ready)."""
    return Panel("rules/_household_benefits.html",
                 {"benefits": household_benefits(household, closed)})
