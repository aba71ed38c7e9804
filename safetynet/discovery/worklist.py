"""Active discovery on the home work list: warnings to verify (late ones escalated to the
township, then the county) and screening visits still to make."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from safetynet.accounts.capabilities import Capability, may
from safetynet.core.jurisdiction import scope
from safetynet.core.worklist import WorkItem
from safetynet.discovery import permissions, selectors, services
from safetynet.discovery.models import Visit, VisitStatus


def discovery_work(user: Any) -> list[WorkItem]:
    if not getattr(user, "is_authenticated", False) or not user.can_read_registry:
        return []
    items: list[WorkItem] = []
    today = services.today()
    if may(user, Capability.VERIFY_WARNINGS):
        queue = selectors.warnings_for(user)
        waiting = queue.count()
        if waiting:
            late = queue.filter(due_on__lt=today).count()
            detail = _("%(n)s overdue") % {"n": late} if late else ""
            items.append(WorkItem(_("Early warnings to verify"), waiting,
                                  reverse("discovery:warnings"), detail))
        visits = scope(Visit.objects.filter(status=VisitStatus.PENDING,
                                            campaign__starts_on__lte=today,
                                            campaign__ends_on__gte=today), user).count()
        if visits:
            items.append(WorkItem(_("Screening visits to make"), visits,
                                  reverse("discovery:campaigns")))
    level = 2 if permissions.is_county_staff(user) else 1
    if may(user, Capability.DISCOVERY_ESCALATIONS):
        escalated = selectors.warnings_for(user, "escalated").filter(
            escalation__gte=level).count()
        if escalated:
            items.append(WorkItem(_("Late early warnings (escalated)"), escalated,
                                  reverse("discovery:warnings") + "?show=escalated"))
    return items
