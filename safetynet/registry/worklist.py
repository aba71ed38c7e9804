"""Registry items on the home page's work list."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from safetynet.core.jurisdiction import scope
from safetynet.core.worklist import WorkItem
from safetynet.registry.models import DuplicateFlag


def registry_work(user: Any) -> list[WorkItem]:
    if not getattr(user, "can_read_registry", False):
        return []
    open_flags = scope(DuplicateFlag.objects.filter(status=DuplicateFlag.OPEN), user).count()
    items = [WorkItem(_("Possible duplicate persons to review"), open_flags,
                      reverse("registry:duplicates"))]
    return items
