"""Read side of active discovery; every query with personal data goes through the
jurisdiction filter."""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr
from django.http import Http404
from django.utils import timezone

from safetynet.core.jurisdiction import get_in_scope, scope, user_area_codes
from safetynet.core.models import Area
from safetynet.discovery import permissions, services
from safetynet.discovery.models import (
    Campaign,
    EarlyWarning,
    MonitorEntry,
    MonitoringRun,
    Outcome,
    SourceImport,
    Visit,
    VisitStatus,
    WarningStatus,
)


def warnings_for(user: Any, show: str = "open") -> QuerySet[EarlyWarning]:
    found = scope(EarlyWarning.objects.all(), user).select_related(
        "household", "person", "area")
    if show == "open":
        return found.filter(status=WarningStatus.OPEN).order_by("due_on", "pk")
    if show == "late":
        return found.filter(status=WarningStatus.OPEN, due_on__lt=services.today())
    if show == "escalated":
        return found.filter(status=WarningStatus.OPEN, escalation__gte=1)
    if show == "suppressed":
        return found.filter(status=WarningStatus.SUPPRESSED).order_by("-raised_on", "-pk")
    return found.order_by("-raised_on", "-pk")


def warning(user: Any, pk: int) -> EarlyWarning:
    return get_in_scope(EarlyWarning.objects.select_related("household", "person", "area"),
                        user, pk=pk)


def evidence(warning: EarlyWarning) -> list[Any]:
    return list(warning.evidence.order_by("event_on", "pk"))


def imports_for(user: Any) -> QuerySet[SourceImport]:
    if not permissions.is_county_staff(user):
        return SourceImport.objects.none()
    return SourceImport.objects.select_related("created_by")


def campaigns_for(user: Any) -> QuerySet[Campaign]:
    """Campaigns over an area that contains or lies inside one of the user's areas."""
    visible = Q(pk__in=[])
    for code in _codes(user):
        visible |= Q(area__code__startswith=code) | Q(area__code__in=_prefixes(code))
    return Campaign.objects.filter(visible).select_related("area")


def _codes(user: Any) -> list[str]:
    return user_area_codes(user)


def _prefixes(code: str) -> list[str]:
    return [code[:n] for n in (6, 9, 12) if n <= len(code)]


def campaign(user: Any, pk: int) -> Campaign:
    found = campaigns_for(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


@dataclass(frozen=True)
class Progress:
    code: str
    name: str
    total: int
    visited: int
    found: int
    needs_help: int

    @property
    def percent(self) -> int:
        return int(100 * self.visited / self.total) if self.total else 0


def progress(user: Any, campaign: Campaign, within: str = "") -> tuple[Progress, list[Progress]]:
    """The whole (inside the user's areas) and one line per township, or per village of
    ``within`` (a township code)."""
    visits = scope(campaign.visits.all(), user)
    if within:
        visits = visits.filter(area__code__startswith=within)
    length = 12 if within or _only_villages(user) else 9
    counts = (visits.annotate(code=_prefix(length)).values("code").order_by("code").annotate(
        total=Count("pk"), visited=Count("pk", filter=~Q(status=VisitStatus.PENDING)),
        found=Count("pk", filter=Q(status=VisitStatus.FOUND)),
        help=Count("pk", filter=Q(needs_help=True))))
    names = dict(Area.objects.filter(code__in=[c["code"] for c in counts])
                 .values_list("code", "name"))
    lines = [Progress(c["code"], names.get(c["code"], c["code"]), c["total"], c["visited"],
                      c["found"], c["help"]) for c in counts]
    total = Progress("", "", sum(p.total for p in lines), sum(p.visited for p in lines),
                     sum(p.found for p in lines), sum(p.needs_help for p in lines))
    return total, lines


def _prefix(length: int) -> Any:
    return Substr("area__code", 1, length)


def _only_villages(user: Any) -> bool:
    codes = _codes(user)
    return bool(codes) and all(len(c) == 12 for c in codes)


def visits_for(user: Any, campaign: Campaign, village: str = "",
               status: str = "") -> QuerySet[Visit]:
    visits = scope(campaign.visits.all(), user).select_related("person", "household", "area")
    if village:
        visits = visits.filter(area__code=village)
    if status in VisitStatus.values:
        visits = visits.filter(status=status)
    return visits.order_by("status", "area", "household", "pk")


def visit(user: Any, pk: int) -> Visit:
    return get_in_scope(Visit.objects.select_related("person", "household", "area",
                                                     "campaign"), user, pk=pk)


def found_not_covered(user: Any, campaign: Campaign) -> QuerySet[Visit]:
    """People found in the visits whom the visitor marked as needing help and whose
    household has no live dibao or extreme-poverty support enrolment."""
    visits = scope(campaign.visits.filter(status=VisitStatus.FOUND, needs_help=True), user)
    try:
        # The benefits app is optional for discovery: without it nobody is supported.
        from safetynet.benefits.models import LIVE_STATUSES, Enrollment

        supported = Enrollment.objects.filter(program__in=("dibao", "tekun_basic"),
                                              status__in=LIVE_STATUSES)
        visits = visits.exclude(household__in=supported.values("household_id"))
    except ImportError:
        pass
    return visits.select_related("person", "household", "area").order_by("area", "household")


def monitored(user: Any, category: str = "") -> QuerySet[MonitorEntry]:
    entries = scope(MonitorEntry.objects.filter(exited_on__isnull=True), user)
    if category:
        entries = entries.filter(category=category)
    return entries.select_related("household", "area")


def monitoring_counts(user: Any) -> dict[str, int]:
    rows = scope(MonitorEntry.objects.filter(exited_on__isnull=True), user).values(
        "category").order_by("category").annotate(n=Count("pk"))
    return {r["category"]: r["n"] for r in rows}


def monitoring_runs(limit: int = 20) -> list[MonitoringRun]:
    return list(MonitoringRun.objects.all()[:limit])


def movements(user: Any, since: dt.date) -> list[dict[str, Any]]:
    """Entries and exits per month and category inside the user's areas."""
    entries = scope(MonitorEntry.objects.all(), user)
    months: dict[tuple[str, str], dict[str, Any]] = {}
    for field, key in (("entered_on", "entered"), ("exited_on", "exited")):
        rows = entries.filter(**{f"{field}__gte": since}).values_list(field, "category")
        for day, category in rows:
            line = months.setdefault((f"{day:%Y-%m}", category), {
                "month": f"{day:%Y-%m}", "category": category, "entered": 0, "exited": 0})
            line[key] += 1
    return sorted(months.values(), key=lambda r: (r["month"], r["category"]))


@dataclass(frozen=True)
class Effect:
    rule: str
    source: str
    raised: int
    suppressed: int
    verified: int
    helped: int
    false_alarms: int
    open: int
    median_days: float | None


def effectiveness(user: Any) -> list[Effect]:
    """Per rule and source: what the warnings led to, to tune the rules."""
    rows = scope(EarlyWarning.objects.all(), user).values_list(
        "rule", "source", "status", "outcome", "raised_on", "closed_on")
    groups: dict[tuple[str, str], list[tuple[Any, ...]]] = {}
    for row in rows:
        groups.setdefault((row[0], row[1]), []).append(row)
    return [_effect(rule, source, items) for (rule, source), items in sorted(groups.items())]


def _effect(rule: str, source: str, items: list[tuple[Any, ...]]) -> Effect:
    done = [i for i in items if i[2] == WarningStatus.DONE]
    days = [(i[5] - i[4]).days for i in done if i[5] is not None]
    return Effect(
        rule, source, raised=sum(i[2] != WarningStatus.SUPPRESSED for i in items),
        suppressed=sum(i[2] == WarningStatus.SUPPRESSED for i in items), verified=len(done),
        helped=sum(i[3] in (Outcome.APPLICATION, Outcome.REFERRAL) for i in done),
        false_alarms=sum(i[3] == Outcome.NO_NEED for i in done),
        open=sum(i[2] == WarningStatus.OPEN for i in items),
        median_days=statistics.median(days) if days else None)


def now() -> dt.date:
    return timezone.localdate()
