"""Early-warning rules: parameterised, explainable, evaluated in bulk over new rows.

Each rule turns matched department rows into ``Signal``s: the household (and person) it
concerns, a severity, the facts that explain it (numbers and dates, rendered by
``explain`` in the reader's language) and the evidence rows. Thresholds are dated
parameters (``discovery.*``); the services decide whether a signal opens a new warning,
merges into an open one, or is suppressed because the household is already covered.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safetynet.core.dates import add_months, age_on  # noqa: F401  (age_on re-exported)
from safetynet.core.money import to_money
from safetynet.discovery import params
from safetynet.discovery.models import ExternalRecord, Severity
from safetynet.discovery.sources import SourceKind
from safetynet.intake.models import Kind
from safetynet.registry.models import IncomeItem, Person

MEDICAL, DISABILITY, DEATH, EMPLOYMENT = "medical_burden", "new_disability", "death", "job_loss"
DISASTER, HOTLINE, INCOME_FALL = "disaster", "hotline", "income_fall"

RULES: dict[str, Any] = {
    MEDICAL: gettext_lazy("Out-of-pocket medical costs above a share of household income"),
    DISABILITY: gettext_lazy("New severe disability certificate"),
    DEATH: gettext_lazy("Death of a working-age member"),
    EMPLOYMENT: gettext_lazy("Working-age member lost work or social insurance stopped"),
    DISASTER: gettext_lazy("Disaster damage"),
    HOTLINE: gettext_lazy("Hotline request about hardship"),
    INCOME_FALL: gettext_lazy("Monitored household's income fell under the warning line"),
}
# Rules about a household as a whole (one open warning per household), not one person.
HOUSEHOLD_RULES = frozenset({MEDICAL, DEATH, DISASTER, INCOME_FALL})
# The programmes that already answer a rule's need: a live enrolment suppresses the
# warning (person-level programmes for person rules). "temporary" counts when granted
# within the rule window.
RIGHT_PROGRAMS: dict[str, tuple[str, ...]] = {
    MEDICAL: ("dibao", "tekun_basic", "temporary"),
    DISABILITY: ("disability_nursing",),
    DEATH: ("dibao", "tekun_basic"),
    EMPLOYMENT: ("dibao", "tekun_basic"),
    DISASTER: ("temporary",),
    HOTLINE: (),
    INCOME_FALL: ("dibao", "tekun_basic"),
}
# Application types whose open application also answers the need.
RIGHT_APPLICATIONS: dict[str, tuple[str, ...]] = {
    MEDICAL: ("dibao", "temp_expenditure"), DISABILITY: ("disability_nursing",),
    DEATH: ("dibao", "temp_emergency"), EMPLOYMENT: ("dibao",),
    DISASTER: ("temp_emergency",), HOTLINE: (), INCOME_FALL: ("dibao",),
}


@dataclass
class Signal:
    rule: str
    source: str
    severity: str
    household_id: int
    person_id: int | None
    area_id: str
    on: dt.date
    facts: dict[str, Any]
    evidence: list[int] = field(default_factory=list)

    @property
    def key(self) -> str:
        if self.rule in HOUSEHOLD_RULES or self.person_id is None:
            return f"{self.rule}:h{self.household_id}"
        return f"{self.rule}:p{self.person_id}"


def months_before(day: dt.date, months: int) -> dt.date:
    return add_months(day, -months)


def area_codes(area_ids: Iterable[str | None]) -> dict[str, str]:
    """Areas are keyed by their division code: the id is the code."""
    return {code: code for code in area_ids if code}


# --- the rules -----------------------------------------------------------------------------

def evaluate(records: list[ExternalRecord]) -> list[Signal]:
    """Signals of every rule for newly imported, matched rows (bulk queries only)."""
    by_source: dict[str, list[ExternalRecord]] = defaultdict(list)
    for record in records:
        if record.person_id is not None:
            by_source[record.source].append(record)
    codes = area_codes(r.area_id for r in records if r.area_id)
    signals: list[Signal] = []
    for source, rows in by_source.items():
        signals += SOURCE_RULES[source](rows, codes)
    return signals


def medical_rule(records: list[ExternalRecord], codes: dict[str, str]) -> list[Signal]:
    """Per household, the latest bill decides the window; all bills in it are summed (one
    query per 2,000 households)."""
    latest: dict[int, ExternalRecord] = {}
    for record in records:
        household = record.household_id or 0
        if household not in latest or record.event_on > latest[household].event_on:
            latest[household] = record
    windows = {hh: (r, params.number("window_months", codes[r.area_id or ""], r.event_on))
               for hh, r in latest.items()}
    bills = _bills(windows)
    income = household_monthly_income(latest)
    return [s for hh, (record, months) in windows.items()
            if (s := _medical(record, codes[record.area_id or ""], months, bills.get(hh, []),
                              income.get(hh, Decimal(0))))]


def _bills(windows: dict[int, tuple[ExternalRecord, int]],
           ) -> dict[int, list[tuple[int, dt.date, Decimal | None]]]:
    start = min(months_before(r.event_on, m) for r, m in windows.values())
    households = list(windows)
    found: dict[int, list[tuple[int, dt.date, Decimal | None]]] = defaultdict(list)
    for i in range(0, len(households), 2000):
        rows = ExternalRecord.objects.filter(
            source=SourceKind.MEDICAL, household_id__in=households[i:i + 2000],
            event_on__gt=start).values_list("pk", "household_id", "event_on", "amount")
        for pk, household, on, amount in rows:
            found[household].append((pk, on, None if amount is None else to_money(amount)))
    return found


def _medical(record: ExternalRecord, code: str, months: int,
             bills: list[tuple[int, dt.date, Decimal | None]], monthly: Decimal,
             ) -> Signal | None:
    on = record.event_on
    since = months_before(on, months)
    rows = [(pk, amount) for pk, day, amount in bills if since < day <= on]
    total = sum((amount or Decimal(0) for _pk, amount in rows), Decimal(0))
    share, floor = params.ratio("medical_share", code, on), params.yuan("medical_floor", code, on)
    income = monthly * months
    line = max(to_money(share * income), to_money(floor))
    if total <= line:
        return None
    severity = Severity.HIGH if total > income else Severity.MEDIUM
    assert record.household_id is not None and record.area_id is not None
    return Signal(MEDICAL, record.source, severity, record.household_id, record.person_id,
                  record.area_id, on, {"total": str(total), "income": str(income),
                                       "share": str(share), "floor": str(to_money(floor)),
                                       "line": str(line), "months": months},
                  sorted(pk for pk, _amount in rows))


def household_monthly_income(households: Iterable[int]) -> dict[int, Decimal]:
    rows = (IncomeItem.objects.filter(person__household_id__in=list(households),
                                      person__deceased_on__isnull=True)
            .values("person__household_id").annotate(total=Sum("monthly_amount")))
    return {r["person__household_id"]: to_money(r["total"] or 0) for r in rows}


def disability_rule(records: list[ExternalRecord], codes: dict[str, str]) -> list[Signal]:
    known = dict(Person.objects.filter(pk__in=[r.person_id for r in records])
                 .values_list("pk", "disability_grade"))
    signals = []
    for r in records:
        limit = params.number("disability_grade", codes[r.area_id or ""], r.event_on)
        before = known.get(r.person_id or 0)
        if r.grade is None or r.grade > limit or (before is not None and before <= r.grade):
            continue  # not severe enough, or the registry already knew this grade
        signals.append(_signal(DISABILITY, r, Severity.HIGH, {
            "grade": r.grade, "limit": limit, "category": r.data.get("category") or "",
            "issued_on": r.event_on.isoformat()}))
    return signals


def _signal(rule: str, r: ExternalRecord, severity: str, facts: dict[str, Any]) -> Signal:
    assert r.household_id is not None and r.area_id is not None
    return Signal(rule, r.source, severity, r.household_id, r.person_id, r.area_id,
                  r.event_on, facts, [r.pk])


def _working_age(records: list[ExternalRecord], codes: dict[str, str],
                 ) -> list[tuple[ExternalRecord, int, int, int]]:
    """(record, age on the event date, min, max) for records of working-age persons."""
    births = dict(Person.objects.filter(pk__in=[r.person_id for r in records])
                  .values_list("pk", "birth_date"))
    found = []
    for r in records:
        code = codes[r.area_id or ""]
        low = params.keyed("working_age", "min", code, r.event_on)
        high = params.keyed("working_age", "max", code, r.event_on)
        age = age_on(births[r.person_id or 0], r.event_on)
        if low <= age < high:
            found.append((r, age, low, high))
    return found


def death_rule(records: list[ExternalRecord], codes: dict[str, str]) -> list[Signal]:
    return [_signal(DEATH, r, Severity.HIGH, {"age": age, "min": low, "max": high,
                                              "died_on": r.event_on.isoformat()})
            for r, age, low, high in _working_age(records, codes)]


def employment_rule(records: list[ExternalRecord], codes: dict[str, str]) -> list[Signal]:
    return [_signal(EMPLOYMENT, r, Severity.MEDIUM, {
        "event": r.code, "age": age, "min": low, "max": high, "on": r.event_on.isoformat()})
        for r, age, low, high in _working_age(records, codes)]


def disaster_rule(records: list[ExternalRecord], codes: dict[str, str]) -> list[Signal]:
    signals = []
    for r in records:
        line = params.yuan("disaster_loss", codes[r.area_id or ""], r.event_on)
        loss = r.amount or Decimal(0)
        if r.code in ("collapsed", "severe"):
            severity = Severity.HIGH
        elif loss >= line:
            severity = Severity.MEDIUM
        else:
            continue
        signals.append(_signal(DISASTER, r, severity, {
            "damage": r.code, "loss": str(loss), "line": str(line),
            "on": r.event_on.isoformat()}))
    return signals


def hotline_rule(records: list[ExternalRecord], codes: dict[str, str]) -> list[Signal]:
    return [_signal(HOTLINE, r, Severity.LOW, {"ticket": r.data.get("ticket") or "",
                                               "summary": r.data.get("summary") or ""})
            for r in records]


SOURCE_RULES: dict[str, Callable[[list[ExternalRecord], dict[str, str]], list[Signal]]] = {
    SourceKind.MEDICAL: medical_rule, SourceKind.DISABILITY: disability_rule,
    SourceKind.DEATH: death_rule, SourceKind.EMPLOYMENT: employment_rule,
    SourceKind.DISASTER: disaster_rule, SourceKind.HOTLINE: hotline_rule,
}


# --- explanations ----------------------------------------------------------------------------

def explain(rule: str, facts: dict[str, Any]) -> str:
    """Why the warning was raised, in words and numbers, in the active language."""
    text = {
        MEDICAL: _("Out-of-pocket medical costs of %(total)s yuan in %(months)s months are "
                   "above the warning line of %(line)s yuan (%(share)s × household income "
                   "%(income)s yuan, at least %(floor)s yuan)."),
        DISABILITY: _("A disability certificate of grade %(grade)s was issued on %(issued_on)s "
                      "(warning from grade %(limit)s up)."),
        DEATH: _("A member died on %(died_on)s aged %(age)s (working age %(min)s–%(max)s)."),
        EMPLOYMENT: _("A member aged %(age)s (working age %(min)s–%(max)s): %(event)s on "
                      "%(on)s."),
        DISASTER: _("Disaster damage on %(on)s: %(damage)s, direct loss %(loss)s yuan "
                    "(warning from %(line)s yuan, or a collapsed / severely damaged house)."),
        HOTLINE: _("12345 ticket %(ticket)s: %(summary)s"),
        INCOME_FALL: _("Per-capita income %(income)s yuan a month fell under the warning line "
                       "of %(line)s yuan (%(ratio)s × the standard %(standard)s yuan); it was "
                       "%(before)s yuan."),
    }.get(rule, "")
    values = {**facts, "event": EVENT_LABELS.get(str(facts.get("event")), facts.get("event")),
              "damage": DAMAGE_LABELS.get(str(facts.get("damage")), facts.get("damage"))}
    try:
        return text % {k: str(v) for k, v in values.items()}
    except (KeyError, ValueError, TypeError):
        return str(facts)


EVENT_LABELS = {"unemployed": gettext_lazy("registered unemployed"),
                "insurance_stopped": gettext_lazy("social insurance stopped")}
DAMAGE_LABELS = {"collapsed": gettext_lazy("house collapsed"),
                 "severe": gettext_lazy("house severely damaged"),
                 "ordinary": gettext_lazy("house damaged"), "crops": gettext_lazy("crops lost")}


def rule_label(rule: str) -> str:
    return str(RULES.get(rule, rule))


def suppression_text(reason: str) -> str:
    """"enrolment:dibao" / "application:temp_emergency" in words."""
    kind, _sep, code = reason.partition(":")
    if kind == "enrolment":
        # The benefits app is optional for discovery (see warnings.covered_by).
        from safetynet.benefits.models import Program

        return _("Already enrolled: %(p)s") % {"p": dict(Program.choices).get(code, code)}
    if kind == "application":
        return _("Application already open: %(p)s") % {"p": dict(Kind.choices).get(code, code)}
    return reason
