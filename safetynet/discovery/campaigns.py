"""Screening campaigns: the groups to visit and the visit list of every village.

Six covered groups (people the safety net already supports) and nine uncovered at-risk
groups (people it may be missing), each a query over the registry, the enrolments and the
monitored list. ``generate`` writes one visit per person and group, for every village in
the campaign's area, in bulk; running it again adds only who is new.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import polars as pl
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from safetynet.core.bulk import insert_frame
from safetynet.core.dates import latest_birth_for_age
from safetynet.discovery.models import (
    Campaign,
    EarlyWarning,
    MonitorCategory,
    MonitorEntry,
    Visit,
    VisitStatus,
    WarningStatus,
)
from safetynet.registry.models import Person
from safetynet.rules.parameters import parameter_value

Row = tuple[int, int, str]  # person, household, village
CAMPAIGN_AGES = "discovery.campaign_ages"
SEVERE_GRADE = "discovery.campaign_disability_grade"


@dataclass(frozen=True)
class Group:
    code: str
    label: Promise
    covered: bool
    select: Callable[[QuerySet[Person], dt.date, str], QuerySet[Person]]  # persons, day, area


def _alive(persons: QuerySet[Person]) -> QuerySet[Person]:
    return persons.filter(deceased_on__isnull=True, household__active=True)


def _enrolled(programs: tuple[str, ...], person_level: bool) -> Q:
    try:
        # The benefits app is optional for discovery: without it nobody is enrolled.
        from safetynet.benefits.models import LIVE_STATUSES, Enrollment
    except ImportError:
        return Q(pk__in=[])
    live = Enrollment.objects.filter(program__in=programs, status__in=LIVE_STATUSES)
    if person_level:
        return Q(pk__in=live.filter(person__isnull=False).values("person_id"))
    return Q(household__in=live.values("household_id"))


def _heads(persons: QuerySet[Person]) -> QuerySet[Person]:
    return persons.filter(relation="head")


def _monitored(category: str) -> Q:
    return Q(household__in=MonitorEntry.objects.filter(category=category,
                                                       exited_on__isnull=True)
             .values("household_id"))


def _aged(group: str, day: dt.date, area: str) -> dt.date:
    """The latest birth date of the group's members: ``discovery.campaign_ages`` in force."""
    return latest_birth_for_age(day, parameter_value(CAMPAIGN_AGES, area, day, group))


def _severe(day: dt.date, area: str) -> int:
    return parameter_value(SEVERE_GRADE, area, day)


def _alone(persons: QuerySet[Person]) -> QuerySet[Person]:
    return persons.annotate(living=Count("household__members", filter=Q(
        household__members__deceased_on__isnull=True))).filter(living=1)


GROUPS: tuple[Group, ...] = (
    Group("dibao", _("Dibao households"), True,
          lambda p, d, a: _heads(p.filter(_enrolled(("dibao",), False)))),
    Group("tekun", _("People in extreme-poverty support"), True,
          lambda p, d, a: p.filter(_enrolled(("tekun_basic",), True))),
    Group("low_income", _("Low-income households"), True,
          lambda p, d, a: _heads(p.filter(_monitored(MonitorCategory.LOW_INCOME)))),
    Group("rigid_expenditure", _("Rigid-expenditure hardship households"), True,
          lambda p, d, a: _heads(p.filter(_monitored(MonitorCategory.RIGID)))),
    Group("orphan", _("Orphans and children without a de facto carer"), True,
          lambda p, d, a: p.exclude(orphan_status="")),
    Group("disability", _("People receiving disability allowances"), True,
          lambda p, d, a: p.filter(_enrolled(("disability_living", "disability_nursing"),
                                             True))),
    Group("elderly_alone", _("People aged 80+ living alone"), False,
          lambda p, d, a: _alone(p.filter(birth_date__lte=_aged("elderly_alone", d, a)))),
    Group("severe_disability", _("Severely disabled people without the nursing allowance"),
          False, lambda p, d, a: p.filter(disability_grade__lte=_severe(d, a)).exclude(
              _enrolled(("disability_nursing",), True))),
    Group("serious_illness", _("Seriously ill people outside dibao"), False,
          lambda p, d, a: p.filter(serious_illness=True).exclude(_enrolled(("dibao",), False))),
    Group("no_supporter", _("Elderly without an able supporter, outside support"), False,
          lambda p, d, a: p.filter(no_able_supporter=True,
                                   birth_date__lte=_aged("no_supporter", d, a))
          .exclude(_enrolled(("tekun_basic",), True))),
    Group("incapacitated", _("People who cannot care for themselves, outside support"), False,
          lambda p, d, a: p.filter(self_care="none").exclude(
              _enrolled(("tekun_basic", "dibao"), False))),
    Group("unemployed", _("Unemployed heads of households"), False,
          lambda p, d, a: _heads(p.filter(employment="unemployed")).exclude(
              _enrolled(("dibao",), False))),
    Group("widowed_elderly", _("Widowed people aged 70+"), False,
          lambda p, d, a: p.filter(marital_status="widowed",
                                   birth_date__lte=_aged("widowed_elderly", d, a))),
    Group("at_risk", _("Households at risk of falling back"), False,
          lambda p, d, a: _heads(p.filter(_monitored(MonitorCategory.AT_RISK)))),
    Group("warned", _("Households with an open early warning"), False,
          lambda p, d, a: _heads(p.filter(household__in=EarlyWarning.objects.filter(
              status=WarningStatus.OPEN).values("household_id")))),
)
BY_CODE = {g.code: g for g in GROUPS}
COVERED = tuple(g.code for g in GROUPS if g.covered)
UNCOVERED = tuple(g.code for g in GROUPS if not g.covered)


def group_label(code: str) -> str:
    group = BY_CODE.get(code)
    return str(group.label) if group else code


def generate(campaign_id: int, batch: int = 5000) -> int:
    """Add the campaign's missing visits, group by group; returns how many were added."""
    campaign = Campaign.objects.select_related("area").get(pk=campaign_id)
    persons = _alive(Person.objects.filter(area__code__startswith=campaign.area.code))
    added = 0
    for code in campaign.categories:
        group = BY_CODE[code]
        rows = group.select(persons, campaign.starts_on, campaign.area.code).order_by().values_list(
            "pk", "household_id", "area_id")
        added += _add(campaign, group, list(rows), batch)
    Campaign.objects.filter(pk=campaign.pk).update(targets=campaign.visits.count())
    return added


VISIT_COLUMNS = ("campaign_id", "category", "covered", "person_id", "household_id", "area_id",
                 "status", "added_in_visit", "situation", "needs", "needs_help")
VISIT_TEXT = ("category", "status", "situation", "needs")


def _add(campaign: Campaign, group: Group, rows: list[Any], batch: int) -> int:
    """The group's new visits in one bulk insert (COPY on PostgreSQL)."""
    known = set(campaign.visits.filter(category=group.code).values_list("person_id", flat=True))
    new = [(p, h, a) for p, h, a in rows if p not in known]
    frame = pl.DataFrame(new, schema={"person_id": pl.Int64, "household_id": pl.Int64,
                                      "area_id": pl.String}, orient="row")
    frame = frame.with_columns(
        campaign_id=pl.lit(campaign.pk, pl.Int64), category=pl.lit(group.code),
        covered=pl.lit(group.covered), status=pl.lit(VisitStatus.PENDING.value),
        added_in_visit=pl.lit(False), situation=pl.lit(""), needs=pl.lit(""),
        needs_help=pl.lit(False))
    with transaction.atomic():
        for chunk in frame.iter_slices(batch):
            insert_frame(Visit, VISIT_COLUMNS, chunk, text_not_null=VISIT_TEXT)
    return len(new)
