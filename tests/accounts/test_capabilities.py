"""Roles x capabilities: the one table, the README's copy, and every app predicate asking it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.template import Context, Template

from safetynet.accounts.capabilities import GRANTS, Capability, capabilities_of, markdown_table
from safetynet.accounts.models import User
from safetynet.accounts.roles import Role
from safetynet.benefits import permissions as benefits
from safetynet.dci import permissions as dci
from safetynet.discovery import permissions as discovery
from safetynet.eldercare import permissions as eldercare
from safetynet.intake import permissions as intake
from safetynet.payments import permissions as payments
from safetynet.reports import permissions as reports
from safetynet.rules import permissions as rules

README = Path(__file__).resolve().parents[2] / "README.md"
START, END = "<!-- capabilities:start -->", "<!-- capabilities:end -->"

# Each role-only predicate of the apps and the capability it must answer for.
PREDICATES: list[tuple[Callable[[Any], bool], Capability]] = [
    (benefits.can_edit, Capability.EDIT_ENROLMENTS),
    (benefits.can_review, Capability.EDIT_ENROLMENTS),
    (benefits.can_read, Capability.READ_ENROLMENTS),
    (discovery.may_overview, Capability.OVERVIEW_DISCOVERY),
    (intake.may_open, Capability.OPEN_INTAKE),
    (eldercare.can_view, Capability.VIEW_ELDERCARE),
    (eldercare.can_manage, Capability.MANAGE_ELDERCARE),
    (eldercare.can_assess, Capability.EDIT_REGISTRY),
    (eldercare.can_approve, Capability.APPROVE_STATEMENTS),
    (payments.can_read, Capability.READ_PAYROLL),
    (reports.can_read, Capability.READ_REPORTS),
    (rules.can_propose, Capability.PROPOSE_RULES),
    (rules.can_approve, Capability.APPROVE_RULES),
    (rules.can_simulate, Capability.SIMULATE_RULES),
    (rules.can_run, Capability.RUN_RULES),
    (lambda u: u.can_read_registry, Capability.READ_REGISTRY),
    (lambda u: u.can_edit_registry, Capability.EDIT_REGISTRY),
    (lambda u: u.can_reveal, Capability.REVEAL_IDENTITY),
    (lambda u: u.works_with_children, Capability.OPEN_MINORS),
    (lambda u: u.is_account_admin, Capability.ADMINISTER_ACCOUNTS),
    (lambda u: u.is_auditor, Capability.READ_AUDIT),
    (lambda u: u.can_read_pipl, Capability.READ_PIPL),
    (dci.can_manage, Capability.MANAGE_PARTNERS),
    (dci.can_view, Capability.READ_PARTNERS),
]


def test_the_readme_holds_the_table() -> None:
    text = README.read_text(encoding="utf-8")
    block = text[text.index(START) + len(START): text.index(END)].strip()
    assert block == markdown_table(), "run `safetynet capabilities --markdown`"


def test_the_command_prints_the_table(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("capabilities", "--markdown")
    assert capsys.readouterr().out.strip() == markdown_table()


def test_every_capability_has_holders_and_administrators_see_no_personal_data() -> None:
    assert all(GRANTS[capability] for capability in Capability)
    personal = {Capability.READ_REGISTRY, Capability.REVEAL_IDENTITY, Capability.OPEN_MINORS,
                Capability.READ_ENROLMENTS, Capability.OPEN_INTAKE}
    for role in (Role.SYSADMIN, Role.SECADMIN, Role.AUDITADMIN, Role.LEADER):
        assert not personal & set(capabilities_of(role)), role


@pytest.mark.parametrize("role", list(Role))
def test_every_app_predicate_answers_as_the_table(role: Role) -> None:
    user = User(username=f"u-{role.value}", role=role, is_active=True)
    for predicate, capability in PREDICATES:
        assert predicate(user) == (role in GRANTS[capability]), (role, capability)
    inactive = User(username=f"x-{role.value}", role=role, is_active=False)
    assert not any(predicate(inactive) for predicate, _ in PREDICATES)


@pytest.mark.parametrize("role", list(Role))
def test_the_template_filter_asks_the_table(role: Role) -> None:
    user = User(username=f"t-{role.value}", role=role, is_active=True)
    page = Template('{% load sn %}{% if user|may:"accounts.create" %}create{% endif %}'
                    '{% if user|may:"accounts.roles" %}roles{% endif %}')
    shown = page.render(Context({"user": user}))
    assert ("create" in shown) == (role in GRANTS[Capability.CREATE_ACCOUNTS])
    assert ("roles" in shown) == (role in GRANTS[Capability.ASSIGN_ROLES])


def test_the_template_filter_refuses_an_unknown_capability() -> None:
    with pytest.raises(ValueError):
        Template('{% load sn %}{{ user|may:"accounts.creat" }}').render(
            Context({"user": User(role=Role.SYSADMIN)}))
