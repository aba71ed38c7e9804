"""Who may change a child's record and who may handle a hotline case.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from safetynet.accounts.roles import CHILD_WORKERS, Department, Role
from safetynet.core.jurisdiction import covers

EDITORS = frozenset({Role.CHILD_DIRECTOR, Role.CHILD_SUPERVISOR})


def may_edit(user: Any, area_code: str) -> bool:
    return (getattr(user, "is_active", False) and getattr(user, "role", None) in EDITORS
            and covers(user, area_code))


def _require_editor(user: Any, area_code: str) -> None:
    if not may_edit(user, area_code):
        raise PermissionDenied(_("Only the child director or supervisor of this village may "
                                 "change a child's record."))


def is_hotline(user: Any) -> bool:
    return (getattr(user, "role", None) == Role.PARTNER
            and getattr(user, "department", "") == Department.HOTLINE)


def may_handle_case(user: Any, area_code: str) -> bool:
    role = getattr(user, "role", None)
    return (getattr(user, "is_active", False) and (role in CHILD_WORKERS or is_hotline(user))
            and covers(user, area_code))
