"""Rules items on the home page's work list: parameter changes awaiting a decision."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from safetynet.core.worklist import WorkItem
from safetynet.rules import permissions
from safetynet.rules.selectors import pending_changes_for


def rules_work(user: Any) -> list[WorkItem]:
    if not permissions.can_approve(user):
        return []
    pending = len(pending_changes_for(user))
    return [WorkItem(_("Parameter changes awaiting your approval"), pending,
                     reverse("rules:changes"))]
