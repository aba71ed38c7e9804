"""Child protection's items on the home work list: due and overdue visits, missing
guardianship confirmations, categories to review, notices, and hotline cases (the
supervisor also sees the late and escalated ones)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from safetynet.accounts.roles import Role
from safetynet.children import selectors
from safetynet.children.services.common import today
from safetynet.core.worklist import WorkItem


def children_work(user: Any) -> list[WorkItem]:
    if not getattr(user, "is_authenticated", False) or not selectors.may_see_cases(user):
        return []
    items: list[WorkItem] = []
    if selectors.works_with_children(user):
        items += _children(user)
    items += _cases(user)
    return items


def _item(items: list[WorkItem], title: str, count: int, url: str, detail: str = "") -> None:
    if count:
        items.append(WorkItem(title, count, url, detail))


def _children(user: Any) -> list[WorkItem]:
    on = today()
    items: list[WorkItem] = []
    due = selectors.due_visits(user, on).count()
    overdue = selectors.overdue_visits(user, on).count()
    _item(items, _("Child visits due this month"), due, reverse("children:visits"),
          _("%(n)s visits overdue") % {"n": overdue} if overdue else "")
    missing = selectors.missing_guardianship(user).count()
    _item(items, _("Children without a signed guardianship confirmation"), missing,
          reverse("children:coverage"))
    if user.role == Role.CHILD_SUPERVISOR:
        attention = sum(1 for town in selectors.coverage(user, on) for v in town.villages
                        if v.unsigned or v.overdue)
        _item(items, _("Villages with unsigned confirmations or overdue visits"), attention,
              reverse("children:home"))
    if user.role == Role.CHILD_DIRECTOR:
        pairs = selectors.followed(user).values_list("categories", "reviewed_categories")
        review = sum(1 for now, confirmed in pairs if now != confirmed)
        _item(items, _("Children whose categories you should review"), review,
              reverse("children:list") + "?show=review")
    _item(items, _("Notices about children"), selectors.notices_for(user).count(),
          reverse("children:home"))
    return items


def _cases(user: Any) -> list[WorkItem]:
    items: list[WorkItem] = []
    url = reverse("children:cases")
    _item(items, _("Hotline cases you are responsible for"), selectors.my_cases(user).count(),
          url)
    if user.role == Role.CHILD_SUPERVISOR or selectors.is_hotline(user):
        _item(items, _("Late or escalated hotline cases"),
              selectors.escalated_cases(user, today()).count(), url + "?show=late")
    return items
