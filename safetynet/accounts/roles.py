"""Roles staff can hold; each comes with a work list and a set of modules."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CLERK = "clerk", _("Window clerk")
    OFFICER = "officer", _("Township civil-affairs officer")
    APPROVER = "approver", _("County approver")
    FINANCE = "finance", _("Finance officer")
    VILLAGE = "village", _("Village worker")
    CHILD_DIRECTOR = "childdir", _("Village child director")
    CHILD_SUPERVISOR = "childsup", _("Township child supervisor")
    PARTNER = "partner", _("Partner-department handler")
    PROVIDER = "provider", _("Service provider")
    LEADER = "leader", _("Leader (read-only)")
    SYSADMIN = "sysadmin", _("System administrator")
    SECADMIN = "secadmin", _("Security administrator")
    AUDITADMIN = "auditadmin", _("Audit administrator")


class Department(models.TextChoices):
    """Partner departments the single window refers cases to (转办)."""

    HEALTH_INSURANCE = "health_insurance", _("Health insurance bureau")
    EDUCATION = "education", _("Education bureau")
    HOUSING = "housing", _("Housing and urban-rural development bureau")
    HUMAN_RESOURCES = "human_resources", _("Human resources and social security bureau")
    DISABLED_FEDERATION = "disabled_federation", _("Disabled persons' federation")
    HOTLINE = "hotline", _("12345 hotline")
    CHARITY = "charity", _("Charity federation")
    CIVIL_AFFAIRS = "civil_affairs", _("Civil affairs bureau")


# Roles that may create and edit registry records.
REGISTRY_EDITORS = frozenset({Role.CLERK, Role.OFFICER, Role.VILLAGE, Role.CHILD_DIRECTOR})
# Roles that may read registry records (inside their areas).
REGISTRY_READERS = REGISTRY_EDITORS | {Role.APPROVER, Role.FINANCE, Role.CHILD_SUPERVISOR}
ADMINISTRATORS = frozenset({Role.SYSADMIN, Role.SECADMIN, Role.AUDITADMIN})
# Roles that may ask to see a full ID, card or phone number (with a reason, audited).
REVEALERS = frozenset({Role.CLERK, Role.OFFICER, Role.APPROVER, Role.FINANCE})
# Roles that work with children and may open the records of children under 14.
CHILD_WORKERS = frozenset({Role.CHILD_DIRECTOR, Role.CHILD_SUPERVISOR})
# Administrators and those who approve decisions or move money must use a second factor.
OTP_REQUIRED = ADMINISTRATORS | {Role.APPROVER, Role.FINANCE}
# Minutes of inactivity after which a session ends.
IDLE_MINUTES_ADMIN = 15
IDLE_MINUTES = 30
ABSOLUTE_SESSION_HOURS = 12
