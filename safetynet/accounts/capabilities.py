"""The one answer to "may this role do X": every capability and the roles that hold it.

Each app's ``permissions`` module, the user's ``can_…`` properties and the menus ask this
table (through :func:`may`), so a role gains or loses a capability in exactly one place.
Checks that also depend on the record (areas, maker-checker, a provider's own orders)
stay next to the record, in the app, and start by asking :func:`may`.

``tests/accounts/test_capabilities.py`` compares the table with the README's role table
("What each role may do"); ``safetynet capabilities --markdown`` prints that table.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from safetynet.accounts.roles import (
    CHILD_WORKERS,
    REGISTRY_EDITORS,
    REGISTRY_READERS,
    REVEALERS,
    Role,
)


class Capability(StrEnum):
    READ_REGISTRY = "registry.read"
    EDIT_REGISTRY = "registry.edit"
    REVEAL_IDENTITY = "identity.reveal"
    OPEN_MINORS = "children.minors"
    OPEN_INTAKE = "intake.open"
    CREATE_CASES = "intake.create"
    INTAKE_ESCALATIONS = "intake.escalations"
    HANDLE_REFERRALS = "intake.referrals"
    EDIT_ENROLMENTS = "benefits.edit"
    READ_ENROLMENTS = "benefits.read"
    VIEW_ELDERCARE = "eldercare.view"
    MANAGE_ELDERCARE = "eldercare.manage"
    APPROVE_STATEMENTS = "eldercare.approve"
    RECORD_PROVIDER_VISITS = "eldercare.provider_visits"
    OVERVIEW_DISCOVERY = "discovery.overview"
    VERIFY_WARNINGS = "discovery.field"
    DISCOVERY_ESCALATIONS = "discovery.escalations"
    RUN_DISCOVERY = "discovery.county"
    EDIT_CHILDREN = "children.edit"
    PREPARE_PAYROLL = "payments.prepare"
    APPROVE_PAYROLL = "payments.approve"
    READ_PAYROLL = "payments.read"
    READ_REPORTS = "reports.read"
    PROPOSE_RULES = "rules.propose"
    APPROVE_RULES = "rules.approve"
    SIMULATE_RULES = "rules.simulate"
    RUN_RULES = "rules.run"
    ADMINISTER_ACCOUNTS = "accounts.admin"
    CREATE_ACCOUNTS = "accounts.create"
    ASSIGN_ROLES = "accounts.roles"
    READ_AUDIT = "audit.read"
    READ_PIPL = "pipl.read"
    MANAGE_PARTNERS = "dci.manage"
    READ_PARTNERS = "dci.read"


_STAFF = REGISTRY_READERS
_MANAGERS = frozenset({Role.OFFICER, Role.APPROVER})

GRANTS: Mapping[Capability, frozenset[Role]] = {
    Capability.READ_REGISTRY: REGISTRY_READERS,
    Capability.EDIT_REGISTRY: REGISTRY_EDITORS,
    Capability.REVEAL_IDENTITY: REVEALERS,
    Capability.OPEN_MINORS: CHILD_WORKERS,
    Capability.OPEN_INTAKE: _STAFF | {Role.PARTNER},
    Capability.CREATE_CASES: REGISTRY_EDITORS,
    Capability.INTAKE_ESCALATIONS: _MANAGERS,
    Capability.HANDLE_REFERRALS: frozenset({Role.PARTNER}),
    Capability.EDIT_ENROLMENTS: _MANAGERS,
    Capability.READ_ENROLMENTS: _STAFF,
    Capability.VIEW_ELDERCARE: _STAFF | {Role.LEADER},
    Capability.MANAGE_ELDERCARE: _MANAGERS,
    Capability.APPROVE_STATEMENTS: frozenset({Role.APPROVER}),
    Capability.RECORD_PROVIDER_VISITS: frozenset({Role.PROVIDER}),
    Capability.OVERVIEW_DISCOVERY: _STAFF | {Role.LEADER},
    Capability.VERIFY_WARNINGS: frozenset({Role.VILLAGE, Role.OFFICER, Role.CLERK}),
    Capability.DISCOVERY_ESCALATIONS: _MANAGERS | {Role.LEADER},
    Capability.RUN_DISCOVERY: _MANAGERS,
    Capability.EDIT_CHILDREN: CHILD_WORKERS,
    Capability.PREPARE_PAYROLL: frozenset({Role.FINANCE}),
    Capability.APPROVE_PAYROLL: frozenset({Role.APPROVER, Role.FINANCE}),
    Capability.READ_PAYROLL: frozenset({Role.FINANCE, Role.APPROVER, Role.LEADER}),
    Capability.READ_REPORTS: _STAFF | {Role.LEADER},
    Capability.PROPOSE_RULES: _MANAGERS,
    Capability.APPROVE_RULES: frozenset({Role.APPROVER}),
    Capability.SIMULATE_RULES: _MANAGERS | {Role.LEADER},
    Capability.RUN_RULES: _MANAGERS,
    Capability.ADMINISTER_ACCOUNTS: frozenset({Role.SYSADMIN, Role.SECADMIN}),
    # Separation of duties (三员): one administrator makes accounts, another gives roles.
    Capability.CREATE_ACCOUNTS: frozenset({Role.SYSADMIN}),
    Capability.ASSIGN_ROLES: frozenset({Role.SECADMIN}),
    Capability.READ_AUDIT: frozenset({Role.AUDITADMIN}),
    Capability.READ_PIPL: frozenset({Role.SECADMIN, Role.AUDITADMIN, Role.LEADER}),
    Capability.MANAGE_PARTNERS: frozenset({Role.SYSADMIN, Role.SECADMIN}),
    Capability.READ_PARTNERS: frozenset({Role.SYSADMIN, Role.SECADMIN, Role.AUDITADMIN}),
}

DESCRIPTIONS: Mapping[Capability, Any] = {
    Capability.READ_REGISTRY: _("read households and persons in one's areas"),
    Capability.EDIT_REGISTRY: _("create and edit households, persons and incomes"),
    Capability.REVEAL_IDENTITY: _("show a full ID, card or phone number (with a reason, audited)"),
    Capability.OPEN_MINORS: _("open the records of children under 14"),
    Capability.OPEN_INTAKE: _("open the single window"),
    Capability.CREATE_CASES: _("file applications, referrals and attachments in one's areas"),
    Capability.INTAKE_ESCALATIONS: _("see the late cases of one's areas (escalation)"),
    Capability.HANDLE_REFERRALS: _("handle the referrals sent to one's department"),
    Capability.EDIT_ENROLMENTS: _("enrol, change, suspend, resume, end and review benefits"),
    Capability.READ_ENROLMENTS: _("read the enrolments of one's areas"),
    Capability.VIEW_ELDERCARE: _("open elderly care"),
    Capability.MANAGE_ELDERCARE: _("manage providers, orders, institutions and plans"),
    Capability.APPROVE_STATEMENTS: _("approve a provider's monthly statement"),
    Capability.RECORD_PROVIDER_VISITS: _("record the visits of one's provider's orders"),
    Capability.OVERVIEW_DISCOVERY: _("open active discovery"),
    Capability.VERIFY_WARNINGS: _("verify early warnings and make screening visits"),
    Capability.DISCOVERY_ESCALATIONS: _("see the escalated early warnings of one's areas"),
    Capability.RUN_DISCOVERY: _("import departments' files and run campaigns (county staff)"),
    Capability.EDIT_CHILDREN: _("change children's records, export them, handle 12345 cases"),
    Capability.PREPARE_PAYROLL: _("prepare, check, export and re-issue payroll runs"),
    Capability.APPROVE_PAYROLL: _("approve a payroll run prepared by someone else"),
    Capability.READ_PAYROLL: _("read payroll runs and fund statistics"),
    Capability.READ_REPORTS: _("read statistics of one's areas"),
    Capability.PROPOSE_RULES: _("propose a parameter change"),
    Capability.APPROVE_RULES: _("approve a parameter change proposed by someone else"),
    Capability.SIMULATE_RULES: _("run what-if simulations"),
    Capability.RUN_RULES: _("start registry evaluation runs"),
    Capability.ADMINISTER_ACCOUNTS: _("list the accounts"),
    Capability.CREATE_ACCOUNTS: _(
        "create and deactivate accounts, set their areas, reset passwords"),
    Capability.ASSIGN_ROLES: _("give an account its role"),
    Capability.READ_AUDIT: _("search and export the audit log"),
    Capability.READ_PIPL: _("read the processing records"),
    Capability.MANAGE_PARTNERS: _("register partner systems and issue their tokens"),
    Capability.READ_PARTNERS: _("read the partner systems and their query audit"),
}


def roles_with(capability: Capability) -> frozenset[Role]:
    return GRANTS[capability]


def role_may(role: str | None, capability: Capability) -> bool:
    return role in GRANTS[capability]


def may(user: Any, capability: Capability) -> bool:
    """An active, logged-in user, or a service's :class:`~safetynet.core.actor.Actor`,
    whose role holds ``capability``."""
    active = getattr(user, "is_authenticated", False) and getattr(user, "is_active", False)
    return bool(active and role_may(getattr(user, "role", None), capability))


def capabilities_of(role: str) -> list[Capability]:
    return [capability for capability in Capability if role in GRANTS[capability]]


def markdown_table() -> str:
    """The README's "What each role may do" table, one row per capability."""
    rows = ["| capability | what | roles |", "|---|---|---|"]
    with translation.override("en"):
        for capability in Capability:
            roles = ", ".join(f"`{role.value}`" for role in Role if role in GRANTS[capability])
            rows.append(f"| `{capability.value}` | {DESCRIPTIONS[capability]} | {roles} |")
    return "\n".join(rows)

