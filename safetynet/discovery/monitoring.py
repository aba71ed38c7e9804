"""The monitored low-income population, recomputed with the policy engine.

Categories: dibao and extreme-poverty support (live enrolments), ``low_income`` and
``rigid_expenditure`` (the engine's monitoring categories over the registry's columns),
and ``at_risk`` (support ended within ``discovery.fallback_months``, or an open
high-severity warning). Each run compares the new set with the open entries: new pairs
enter, missing ones exit (``exited_on``), so entries and exits over time are kept. A
monitored household whose per-capita income falls under ``discovery.income_ratio`` × the
standard raises the ``income_fall`` warning.
"""

from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal

import polars as pl
from django.db import transaction
from django.utils import timezone

from safetynet.core import audit
from safetynet.core.money import from_fen
from safetynet.discovery import params, warnings
from safetynet.discovery.models import (
    EarlyWarning,
    MonitorCategory,
    MonitorEntry,
    MonitoringRun,
    Severity,
    WarningStatus,
)
from safetynet.discovery.rules import INCOME_FALL, Signal, months_before
from safetynet.policy import household_categories
from safetynet.registry.columns import registry_frames
from safetynet.registry.models import Household, Person
from safetynet.rules.parameters import current_parameters

Pair = tuple[int, str]  # (household id, category)


def recompute(on: dt.date | None = None, trigger: str = "") -> MonitoringRun:
    """One run over the whole registry; returns the run with its figures."""
    day = on or timezone.localdate()
    started = time.perf_counter()
    persons, homes = registry_frames(Household.objects.all())
    cats = household_categories(persons, homes, day, params=current_parameters()) \
        if homes.height else pl.DataFrame()
    wanted, income = _wanted(cats, homes, day)
    with transaction.atomic(), params.batch():
        run = MonitoringRun.objects.create(on=day, trigger=trigger[:60])
        _apply(run, wanted, income, day)
        run.seconds = round(time.perf_counter() - started, 3)
        run.save()
        audit.record("discovery.monitoring", object_type="discovery.monitoringrun",
                     object_id=str(run.pk), entered=run.entered, exited=run.exited,
                     total=run.total)
    warnings.escalate_late(day)
    return run


def _wanted(cats: pl.DataFrame, homes: pl.DataFrame, day: dt.date,
            ) -> tuple[dict[Pair, str], dict[int, Decimal]]:
    """(household, category) → village code, and each household's per-capita income."""
    area = dict(zip(homes["id"].to_list(), homes["area_code"].to_list(), strict=True)) \
        if homes.height else {}
    wanted: dict[Pair, str] = {}
    income: dict[int, Decimal] = {}
    if cats.height:
        for row in cats.select("household_id", "per_capita_income", "low_income",
                               "rigid_expenditure").iter_rows():
            household = int(row[0])
            income[household] = Decimal(str(row[1])).quantize(Decimal("0.01"))
            for name, flag in ((MonitorCategory.LOW_INCOME, row[2]),
                               (MonitorCategory.RIGID, row[3])):
                if flag:
                    wanted[(household, name)] = area[household]
    for household, category in _enrolled(day):
        if household in area:
            wanted[(household, category)] = area[household]
    for household in _at_risk(day):
        if household in area:
            wanted[(household, MonitorCategory.AT_RISK)] = area[household]
    return wanted, income


def _enrolled(day: dt.date) -> list[Pair]:
    try:
        # The benefits app is optional for discovery: without it nobody is enrolled.
        from safetynet.benefits.models import LIVE_STATUSES, Enrollment
    except ImportError:
        return []
    mapping = {"dibao": MonitorCategory.DIBAO, "tekun_basic": MonitorCategory.TEKUN}
    rows = Enrollment.objects.filter(program__in=mapping, status__in=LIVE_STATUSES) \
        .values_list("household_id", "program").distinct()
    return [(household, mapping[program]) for household, program in rows]


def _at_risk(day: dt.date) -> set[int]:
    found = set(EarlyWarning.objects.filter(status=WarningStatus.OPEN, severity=Severity.HIGH)
                .values_list("household_id", flat=True))
    try:
        # The benefits app is optional for discovery: without it nobody is at risk.
        from safetynet.benefits.models import Enrollment, Status
    except ImportError:
        return found
    months = params.number("fallback_months", "32", day)
    ended = Enrollment.objects.filter(program__in=("dibao", "tekun_basic"),
                                      status=Status.ENDED,
                                      end_month__gte=months_before(day, months))
    return found | set(ended.values_list("household_id", flat=True))


def _apply(run: MonitoringRun, wanted: dict[Pair, str], income: dict[int, Decimal],
           day: dt.date) -> None:
    open_entries = {(e.household_id, e.category): e for e in
                    MonitorEntry.objects.filter(exited_on__isnull=True)}
    leaving = [e.pk for pair, e in open_entries.items() if pair not in wanted]
    entering = [pair for pair in wanted if pair not in open_entries]
    for i in range(0, len(leaving), 2000):
        MonitorEntry.objects.filter(pk__in=leaving[i:i + 2000]).update(exited_on=day,
                                                                         exited_run=run)
    MonitorEntry.objects.bulk_create([_entry(run, h, c, wanted, income, day)
                                      for h, c in entering], batch_size=2000)
    _income_falls(open_entries, wanted, income, day)
    run.entered, run.exited = len(entering), len(leaving)
    run.total = len({h for h, _c in wanted})
    counts: dict[str, int] = {}
    for _h, category in wanted:
        counts[category] = counts.get(category, 0) + 1
    run.by_category = counts


def _entry(run: MonitoringRun, household: int, category: str, wanted: dict[Pair, str],
           income: dict[int, Decimal], day: dt.date) -> MonitorEntry:
    entry = MonitorEntry(household_id=household, category=category,
                         area_id=wanted[(household, category)], entered_on=day,
                         entered_run=run)
    entry.per_capita_income = income.get(household)  # type: ignore[assignment]
    return entry


def _income_falls(open_entries: dict[Pair, MonitorEntry], wanted: dict[Pair, str],
                  income: dict[int, Decimal], day: dt.date) -> None:
    """Warn when a household monitored before this run (not on basic support) falls under
    the line; store each open entry's income for the next comparison."""
    supported = {h for h, c in wanted if c in (MonitorCategory.DIBAO, MonitorCategory.TEKUN)}
    before: dict[int, Decimal] = {}
    changed: list[MonitorEntry] = []
    for (household, _category), entry in open_entries.items():
        now = income.get(household)
        if entry.per_capita_income is not None:
            before.setdefault(household, entry.per_capita_income)
        if now is not None and entry.per_capita_income != now:
            entry.per_capita_income = now
            changed.append(entry)
    MonitorEntry.objects.bulk_update(changed, ["per_capita_income"], batch_size=2000)
    falling = [h for h, previous in before.items() if h not in supported
               and income.get(h) is not None and income[h] < previous]
    signals = [s for row in Household.objects.filter(pk__in=falling).values_list(
        "pk", "area_id", "hukou") if (s := _fall(row, before[row[0]], income[row[0]], day))]
    if signals:
        warnings.raise_signals(signals, day)


def _fall(household: tuple[int, str, str], previous: Decimal, now: Decimal,
          day: dt.date) -> Signal | None:
    household_id, area, hukou = household
    standard = params.dibao_standard(area, hukou, day)
    ratio = params.ratio("income_ratio", area, day)
    line = (standard * ratio).quantize(Decimal("0.01"))
    if not (now < line <= previous):
        return None
    head = Person.objects.filter(household_id=household_id, relation="head").values_list(
        "pk", flat=True).first()
    return Signal(INCOME_FALL, "", Severity.MEDIUM, household_id, head, area, day,
                  {"income": str(now), "before": str(previous), "line": str(line),
                   "ratio": str(ratio), "standard": str(standard)})


def fen_to_yuan(value: int | None) -> Decimal | None:
    return None if value is None else from_fen(value)
