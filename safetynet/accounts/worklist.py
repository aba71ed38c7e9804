"""Administrators' items on the home page's work list."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from safetynet.accounts.models import User
from safetynet.accounts.roles import Role
from safetynet.core.models import AuditEvent
from safetynet.core.worklist import WorkItem


def accounts_work(user: Any) -> list[WorkItem]:
    role = getattr(user, "role", None)
    if role == Role.SECADMIN:
        waiting = User.objects.filter(is_active=False, last_login__isnull=True).count()
        return [WorkItem(_("New accounts waiting for a role"), waiting,
                         reverse("accounts:users"))]
    if role == Role.AUDITADMIN:
        since = timezone.now() - timedelta(days=1)
        failures = AuditEvent.objects.filter(at__gte=since, result__in=["fail", "denied"])
        return [WorkItem(_("Failed or refused actions in the last 24 hours"), failures.count(),
                         reverse("accounts:audit") + "?result=fail")]
    return []
