"""Turning signals into warnings: suppress what is already covered, merge what recurs,
open the rest with a deadline for the village to verify (called inside a transaction)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from safetynet.core import audit
from safetynet.core.workdays import add_working_days
from safetynet.discovery import params
from safetynet.discovery.models import EarlyWarning, Severity, WarningStatus
from safetynet.discovery.rules import (
    HOUSEHOLD_RULES,
    RIGHT_APPLICATIONS,
    RIGHT_PROGRAMS,
    Signal,
    area_codes,
    months_before,
)
from safetynet.intake.models import OPEN_STATES, Application

SEVERITY_ORDER = {Severity.LOW: 0, Severity.MEDIUM: 1, Severity.HIGH: 2}


@dataclass
class Outcome:
    opened: int = 0
    merged: int = 0
    suppressed: int = 0


def due_date(area_code: str, raised: dt.date) -> dt.date:
    return add_working_days(raised, params.keyed("deadlines", "verify", area_code, raised))


def covered_by(signals: list[Signal], today: dt.date) -> dict[str, str]:
    """Signal key → why it is suppressed (a live enrolment or an open application)."""
    households = {s.household_id for s in signals}
    enrolments = _live_enrolments(households, today)
    applications = _open_applications(households)
    reasons: dict[str, str] = {}
    for s in signals:
        for program, person in enrolments.get(s.household_id, ()):
            person_level = s.rule not in HOUSEHOLD_RULES and person is not None
            if program in RIGHT_PROGRAMS[s.rule] and (not person_level or person == s.person_id):
                reasons[s.key] = f"enrolment:{program}"
        for kind in applications.get(s.household_id, ()):
            if kind in RIGHT_APPLICATIONS[s.rule]:
                reasons.setdefault(s.key, f"application:{kind}")
    return reasons


def _live_enrolments(households: set[int], today: dt.date,
                     ) -> dict[int, list[tuple[str, int | None]]]:
    """Live enrolments, and temporary grants within the window (one-off, so ended)."""
    try:
        # The benefits app is optional for discovery: without it nobody is enrolled.
        from safetynet.benefits.models import LIVE_STATUSES, Enrollment
    except ImportError:  # the benefits app is optional for discovery
        return {}
    recent = months_before(today, 12)
    rows = Enrollment.objects.filter(household_id__in=households).filter(
        Q(status__in=LIVE_STATUSES) | Q(program="temporary", start_month__gte=recent))
    found: dict[int, list[tuple[str, int | None]]] = {}
    for household, person, program in rows.values_list("household_id", "person_id",
                                                          "program"):
        found.setdefault(household, []).append((program, person))
    return found


def _open_applications(households: set[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for household, kind in Application.objects.filter(
            household_id__in=households, state__in=OPEN_STATES).values_list("household_id",
                                                                            "kind"):
        found.setdefault(household, []).append(kind)
    return found


def raise_signals(signals: Iterable[Signal], today: dt.date) -> Outcome:
    """Open, merge or suppress each signal; the caller holds the transaction."""
    merged = _merge_same_key(list(signals))
    outcome = Outcome()
    if not merged:
        return outcome
    reasons = covered_by(merged, today)
    codes = area_codes(s.area_id for s in merged)
    existing = {w.open_key: w for w in EarlyWarning.objects.select_for_update().filter(
        open_key__in=[s.key for s in merged])}
    for signal in merged:
        if signal.key in reasons:
            _suppress(signal, reasons[signal.key], today)
            outcome.suppressed += 1
        elif signal.key in existing:
            _add_signal(existing[signal.key], signal)
            outcome.merged += 1
        else:
            _open(signal, codes[signal.area_id], today)
            outcome.opened += 1
    return outcome


def _merge_same_key(signals: list[Signal]) -> list[Signal]:
    """Several signals of one key in one batch become one (evidence of all)."""
    by_key: dict[str, Signal] = {}
    for s in signals:
        first = by_key.get(s.key)
        if first is None:
            by_key[s.key] = s
            continue
        first.evidence = sorted(set(first.evidence) | set(s.evidence))
        if SEVERITY_ORDER[Severity(s.severity)] > SEVERITY_ORDER[Severity(first.severity)]:
            first.severity = s.severity
        if s.on >= first.on:
            first.facts, first.on = s.facts, s.on
        first.facts = {**first.facts, "signals": first.facts.get("signals", 1) + 1}
    return list(by_key.values())


def _open(signal: Signal, area_code: str, today: dt.date) -> EarlyWarning:
    warning = EarlyWarning.objects.create(
        rule=signal.rule, source=signal.source, severity=signal.severity,
        household_id=signal.household_id, person_id=signal.person_id, area_id=signal.area_id,
        facts=signal.facts, open_key=signal.key, signals=int(signal.facts.get("signals", 1)),
        raised_on=today, last_signal_on=signal.on, due_on=due_date(area_code, today))
    warning.evidence.add(*signal.evidence)
    return warning


def _add_signal(warning: EarlyWarning, signal: Signal) -> None:
    warning.signals += int(signal.facts.get("signals", 1))
    warning.last_signal_on = max(warning.last_signal_on, signal.on)
    warning.facts = signal.facts
    if SEVERITY_ORDER[Severity(signal.severity)] > SEVERITY_ORDER[Severity(warning.severity)]:
        warning.severity = signal.severity
    warning.save(update_fields=["signals", "last_signal_on", "facts", "severity"])
    warning.evidence.add(*signal.evidence)


def _suppress(signal: Signal, reason: str, today: dt.date) -> None:
    """Kept (for the effectiveness figures) but on nobody's list; one per key is enough."""
    same = EarlyWarning.objects.filter(status=WarningStatus.SUPPRESSED, rule=signal.rule,
                                       household_id=signal.household_id,
                                       suppressed_because=reason)
    if signal.rule not in HOUSEHOLD_RULES:
        same = same.filter(person__isnull=True) if signal.person_id is None else \
            same.filter(person_id=signal.person_id)
    earlier = same.first()
    if earlier is not None:
        _add_signal(earlier, signal)
        return
    warning = EarlyWarning.objects.create(
        rule=signal.rule, source=signal.source, severity=signal.severity,
        household_id=signal.household_id, person_id=signal.person_id, area_id=signal.area_id,
        facts=signal.facts, status=WarningStatus.SUPPRESSED, suppressed_because=reason,
        raised_on=today, last_signal_on=signal.on, due_on=today, closed_on=today)
    warning.evidence.add(*signal.evidence)


def escalate_late(on: dt.date | None = None) -> int:
    """Escalate open warnings past their date: to the township (1), then the county (2)."""
    day = on or timezone.localdate()
    changed = 0
    with transaction.atomic(), params.batch():
        late = EarlyWarning.objects.select_for_update().filter(
            status=WarningStatus.OPEN, due_on__lt=day, escalation__lt=2)
        for warning in late:
            level = escalation_level(warning, day)
            if level > warning.escalation:
                warning.escalation = level
                warning.save(update_fields=["escalation"])
                audit.record("discovery.warning.escalate", obj=warning, level=level)
                changed += 1
    return changed


def escalation_level(warning: EarlyWarning, day: dt.date) -> int:
    if warning.status != WarningStatus.OPEN or warning.due_on >= day:
        return 0
    extra = params.keyed("deadlines", "county", warning.area_id, warning.due_on)
    return 2 if add_working_days(warning.due_on, extra) < day else 1
