"""Processing records (PIPL arts. 55–56): built from the models, complete, role-derived."""

from __future__ import annotations

import dataclasses
import io
from types import SimpleNamespace

import openpyxl
import pytest
from django.apps import apps
from django.urls import reverse
from django.utils.text import capfirst

from safetynet.accounts.roles import CHILD_WORKERS, REGISTRY_READERS, REVEALERS, Role
from safetynet.core import pipl
from safetynet.core.models import AuditEvent
from safetynet.registry import pipl as registry_pipl
from safetynet.registry.models import Household, Person
from tests.conftest import COUNTY, login_verified, make_user


def covered(found: pipl.Catalogue, label: str) -> set[str]:
    names: set[str] = set()
    for declaration in found.declarations:
        if declaration.model.lower() == label:
            names |= set(declaration.not_personal)
            names |= {name for group in declaration.groups for name in group.fields}
    return names


@pytest.mark.parametrize("model", [Person, Household])
def test_every_field_of_person_and_household_is_declared_or_non_personal(model) -> None:
    found, _duplicates = pipl.catalogue()
    stored = [f for f in [*model._meta.concrete_fields, *model._meta.many_to_many]
              if not f.auto_created]
    missing = [f.name for f in stored if f.name not in covered(found, model._meta.label_lower)]
    assert not missing, f"declare these {model.__name__} fields in registry/pipl.py: {missing}"


def test_every_model_is_declared_and_every_declaration_is_valid() -> None:
    found, duplicates = pipl.catalogue()
    problems = duplicates + pipl.problems(found)
    assert not problems, [(p.model, p.field, str(p.message)) for p in problems]


def test_a_field_without_a_declaration_is_reported() -> None:
    person = registry_pipl.PERSON
    groups = tuple(dataclasses.replace(g, fields=tuple(f for f in g.fields if f != "health_notes"))
                   for g in person.groups)
    module = SimpleNamespace(__name__="fake.pipl",
                             DECLARATIONS=[dataclasses.replace(person, groups=groups)])
    found, _duplicates = pipl.catalogue([module])
    reported = {(p.model, p.field) for p in pipl.undeclared_fields(found)}
    assert ("registry.Person", "health_notes") in reported
    assert ("registry.Household", "") in reported  # a whole model nobody declared


def test_unknown_and_duplicate_declarations_are_reported() -> None:
    bogus = dataclasses.replace(registry_pipl.HOUSEHOLD, not_personal=("created_at", "colour"))
    module = SimpleNamespace(__name__="fake.pipl", DECLARATIONS=[bogus, bogus])
    found, duplicates = pipl.catalogue([module])
    assert duplicates and duplicates[0].model == "registry.Household"
    assert ("registry.Household", "colour") in {(p.model, p.field) for p in pipl.problems(found)}


def record(table: str, field: str) -> pipl.Record:
    return next(r for r in pipl.records() if r.table == table
                and field in {f.name for f in r.fields} and not r.applies_to)


def test_fields_and_labels_come_from_the_models() -> None:
    ids = record("registry_person", "id_number")
    label = str(capfirst(Person._meta.get_field("id_number").verbose_name))
    assert ("id_number", label) in {(f.name, f.label) for f in ids.fields}
    assert ids.history_table == "registry_historicalperson"
    assert ids.sensitive and not record("registry_person", "name").sensitive
    assert record("registry_person", "health_notes").sensitive


def test_access_is_derived_from_the_role_sets() -> None:
    access = dict(record("registry_person", "id_number").access)
    assert set(access[str(pipl.READ)]) == set(pipl.role_labels(REGISTRY_READERS))
    assert set(access[str(pipl.FULL_VALUE)]) == set(pipl.role_labels(REVEALERS))
    minors = next(r for r in pipl.records() if r.table == "registry_person" and r.applies_to)
    readers = set(dict(minors.access)[str(pipl.READ)])
    assert readers == set(pipl.role_labels(CHILD_WORKERS & REGISTRY_READERS))
    assert {f.name for f in minors.fields} >= {"name", "id_number", "health_notes"}
    audit_log = dict(record("core_auditevent", "username").access)
    assert audit_log[str(pipl.READ)] == pipl.role_labels({Role.AUDITADMIN})


def test_every_installed_app_with_a_pipl_module_is_found() -> None:
    names = {m.__name__ for m in pipl.pipl_modules()}
    assert {"safetynet.core.pipl", "safetynet.accounts.pipl", "safetynet.registry.pipl"} <= names
    assert all(apps.is_installed(n.rsplit(".", 1)[0]) for n in names)


@pytest.fixture
def admins(county):
    return {
        Role.SECADMIN: make_user("sec", Role.SECADMIN),
        Role.AUDITADMIN: make_user("aud", Role.AUDITADMIN),
        Role.LEADER: make_user("lead", Role.LEADER, county[COUNTY]),
        Role.SYSADMIN: make_user("sys", Role.SYSADMIN),
    }


@pytest.mark.parametrize("role", [Role.SECADMIN, Role.AUDITADMIN, Role.LEADER])
def test_page_is_open_to_security_audit_administrators_and_leader(client, admins, role) -> None:
    login_verified(client, admins[role])
    response = client.get(reverse("accounts:pipl"))
    assert response.status_code == 200
    assert len(response.context["records"]) == len(pipl.records())
    assert not response.context["problems"]
    assert b"registry_person" in response.content


def test_page_and_export_are_closed_to_other_roles(client, admins, clerk) -> None:
    for user in (clerk, admins[Role.SYSADMIN]):
        login_verified(client, user)
        assert client.get(reverse("accounts:pipl")).status_code == 403
        assert client.get(reverse("accounts:pipl_export")).status_code == 403
    assert not AuditEvent.objects.filter(action="export").exists()


def test_export_is_an_audited_workbook(client, admins) -> None:
    login_verified(client, admins[Role.SECADMIN])
    response = client.get(reverse("accounts:pipl_export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert len(rows) == len(pipl.records()) + 1
    assert any("registry_person" in str(row[0]) for row in rows[1:])
    event = AuditEvent.objects.get(action="export", object_type="pipl.records")
    assert event.username == "sec" and event.detail["rows"] == len(rows) - 1
