"""Benefits items on the home page's work list: reviews falling due."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from safetynet.benefits import permissions, selectors
from safetynet.core.worklist import WorkItem


def benefits_work(user: Any) -> list[WorkItem]:
    if not permissions.can_review(user):
        return []
    due = selectors.reviews_due(user).count()
    return [WorkItem(_("Enrolment reviews due within a month"), due,
                     reverse("benefits:home") + "?reviews=1")]
