"""The single window's items on the home work list: my next steps, late cases (escalated to
supervisors), and referrals waiting for a partner department or for the window."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from safetynet.core.worklist import WorkItem
from safetynet.intake import selectors
from safetynet.intake.services.common import today


def intake_work(user: Any) -> list[WorkItem]:
    if not getattr(user, "is_authenticated", False):
        return []
    items: list[WorkItem] = []
    if user.can_read_registry:
        items += _applications(user)
    referrals = selectors.referral_queue(user).count()
    if referrals:
        title = (_("Referrals to accept and answer") if user.role == "partner"
                 else _("Department answers to pass on to applicants"))
        items.append(WorkItem(title, referrals, reverse("intake:referrals")))
    return items


def _applications(user: Any) -> list[WorkItem]:
    items = []
    queue = selectors.my_queue(user)
    waiting = queue.count()
    if waiting:
        late = queue.filter(due_on__lt=today()).count()
        detail = _("%(n)s overdue") % {"n": late} if late else ""
        items.append(WorkItem(_("Applications waiting for your step"), waiting,
                              reverse("intake:home"), detail))
    escalated = selectors.escalated(user).count()
    if escalated:
        items.append(WorkItem(_("Late applications in your areas (escalated)"), escalated,
                              reverse("intake:home") + "?show=overdue"))
    return items
