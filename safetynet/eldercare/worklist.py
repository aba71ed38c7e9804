"""Elderly care on the home work list: visits still to make (workers), reassessments due
(assessors), statements to approve (county approvers), implausible visit records (managers)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from safetynet.benefits.months import add_months, first_of_month
from safetynet.core.jurisdiction import scope
from safetynet.core.worklist import WorkItem
from safetynet.eldercare import permissions, selectors
from safetynet.eldercare.models import StatementStatus, Visit
from safetynet.eldercare.services import today


def eldercare_work(user: Any) -> list[WorkItem]:
    if not getattr(user, "is_authenticated", False):
        return []
    if permissions.provider_of(user) is not None:
        return _worker(user)
    items: list[WorkItem] = []
    if permissions.can_assess(user):
        due = selectors.assessments_due(user, today()).count()
        if due:
            items.append(WorkItem(_("Ability reassessments due"), due, reverse("eldercare:due")))
    if permissions.can_approve(user):
        drafts = selectors.statements_for(user).filter(status=StatementStatus.DRAFT).count()
        if drafts:
            items.append(WorkItem(_("Provider statements to approve"), drafts,
                                  reverse("eldercare:statements")))
    if permissions.can_manage(user):
        items += _flagged(user)
    return items


def _worker(user: Any) -> list[WorkItem]:
    month = first_of_month(today())
    orders = selectors.orders_for(user, month)
    left = orders.exclude(visits__voided=False).count()
    if not left:
        return []
    return [WorkItem(_("Elderly people still to visit this month"), left,
                     reverse("eldercare:visits"))]


def _flagged(user: Any) -> list[WorkItem]:
    since = add_months(first_of_month(today()), -1)
    flagged = (scope(Visit.objects.filter(order__month__gte=since, voided=False), user,
                     "order__area__code").exclude(flags=[]).count())
    if not flagged:
        return []
    return [WorkItem(_("Implausible home-care visit records"), flagged,
                     reverse("eldercare:compliance") + f"?month={since:%Y-%m}")]
