"""Proof of service, as pure functions over plain values: which visits count, whether a
person's month was delivered, which records are implausible, what a provider is paid.

A visit *counts* when it is confirmed by the elderly person or the family and carries no
implausibility flag. A month is *compliant* when it has at least ``min_visits`` counted
visits each lasting at least ``min_minutes``, and the counted visits are worth at least the
person's entitlement. A provider is paid the entitlement of each compliant month, nothing
for the others: the settlement is computed only from counted visits.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

# Shortfall reasons (codes; the UI translates them).
NO_VISIT, TOO_SHORT, TOO_LITTLE_VALUE, TOO_FEW_VISITS = (
    "no_visit", "too_short", "too_little_value", "too_few_visits")
# Implausibility flags.
OVERLAP, DECEASED, BAD_DURATION, TOO_LONG, OUTSIDE_MONTH = (
    "overlap", "deceased", "bad_duration", "too_long", "outside_month")


@dataclass(frozen=True)
class Thresholds:
    """From the parameter ``eldercare.compliance`` (``roster.thresholds``); no defaults."""

    min_visits: int
    min_minutes: int
    max_minutes: int


@dataclass(frozen=True)
class VisitFacts:
    visit_id: int
    worker_id: int
    person_id: int
    started_at: datetime
    ended_at: datetime
    value: Decimal
    confirmed: bool
    flags: tuple[str, ...] = ()

    @property
    def minutes(self) -> int:
        return max(0, int((self.ended_at - self.started_at).total_seconds() // 60))

    @property
    def counts(self) -> bool:
        return self.confirmed and not self.flags


@dataclass(frozen=True)
class MonthOutcome:
    visits: int  # counted visits
    long_visits: int  # counted visits of at least min_minutes
    minutes: int
    value: Decimal
    entitlement: Decimal
    reasons: tuple[str, ...] = field(default=())

    @property
    def compliant(self) -> bool:
        return not self.reasons

    @property
    def payable(self) -> Decimal:
        return self.entitlement if self.compliant else Decimal("0.00")


def month_outcome(visits: Iterable[VisitFacts], entitlement: Decimal,
                  limits: Thresholds) -> MonthOutcome:
    """Whether one person's month was delivered, with the reasons when it was not."""
    counted = [v for v in visits if v.counts]
    long_visits = sum(1 for v in counted if v.minutes >= limits.min_minutes)
    minutes = sum(v.minutes for v in counted)
    value = sum((v.value for v in counted), Decimal("0.00"))
    reasons: list[str] = []
    if not counted:
        reasons.append(NO_VISIT)
    elif long_visits < limits.min_visits:
        reasons.append(TOO_SHORT if len(counted) >= limits.min_visits else TOO_FEW_VISITS)
    if counted and value < entitlement:
        reasons.append(TOO_LITTLE_VALUE)
    return MonthOutcome(len(counted), long_visits, minutes, value, entitlement, tuple(reasons))


def duration_flags(started_at: datetime, ended_at: datetime, month: date,
                   limits: Thresholds) -> list[str]:
    """Check-out not after check-in, longer than the maximum, or outside the order's month."""
    flags = []
    if ended_at <= started_at:
        flags.append(BAD_DURATION)
    elif (ended_at - started_at).total_seconds() > limits.max_minutes * 60:
        flags.append(TOO_LONG)
    if (started_at.year, started_at.month) != (month.year, month.month):
        flags.append(OUTSIDE_MONTH)
    return flags


def deceased_flag(visit_day: date, deceased_on: date | None) -> list[str]:
    """A visit on or after the recorded date of death."""
    return [DECEASED] if deceased_on is not None and visit_day >= deceased_on else []


def overlapping(visits: Sequence[VisitFacts]) -> set[int]:
    """Ids of visits by the same worker whose times overlap: two places at once, or one
    visit recorded twice. Visits that merely touch (one ends as the next starts) do not."""
    found: set[int] = set()
    by_worker: dict[int, list[VisitFacts]] = {}
    for visit in visits:
        by_worker.setdefault(visit.worker_id, []).append(visit)
    for own in by_worker.values():
        own.sort(key=lambda v: v.started_at)
        for i, first in enumerate(own):
            for second in own[i + 1:]:
                if second.started_at >= first.ended_at:
                    break
                found.update({first.visit_id, second.visit_id})
    return found
