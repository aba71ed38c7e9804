"""`safetynet seed` / `safetynet demo` against the database (SQLite and PostgreSQL)."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from safetynet.accounts.models import User
from safetynet.accounts.roles import Role
from safetynet.core import areas, idnumber
from safetynet.core.actor import Actor
from safetynet.core.models import Area
from safetynet.demo import loader, places, synth
from safetynet.demo.accounts import DEMO_USERS
from safetynet.registry import services
from safetynet.registry.models import Asset, Household, IncomeItem, Person, RigidExpense

SCALE = "0.005"
pytestmark = pytest.mark.django_db


def run(command: str, *args: str) -> str:
    out = StringIO()
    call_command(command, "--scale", SCALE, *args, stdout=out)
    return out.getvalue()


def test_seed_creates_the_area_tree_with_valid_codes() -> None:
    run("seed")
    assert Area.objects.count() == 1 + 20 + 371
    for area in Area.objects.all():
        assert areas.level_of(area.code) == area.level
        assert area.parent_id == areas.parent_code(area.code)


def test_seed_stores_what_the_generator_made() -> None:
    output = run("seed", "--seed", "5")
    expected = synth.generate(float(SCALE), 5, places.area_tree())
    persons = sorted(p.id_number for hh in expected for p in hh.members)
    assert sorted(Person.objects.values_list("id_number", flat=True)) == persons
    assert Household.objects.count() == len(expected)
    assert f"persons (人): {len(persons):,}" in output
    for person in Person.objects.select_related("household"):
        parsed = idnumber.parse(person.id_number or "")
        assert (parsed.birth_date, parsed.sex) == (person.birth_date, person.sex)
        assert person.area_id == person.household.area_id
        assert person.household.number.startswith(person.area_id)


def test_amounts_round_trip_as_yuan() -> None:
    run("seed", "--seed", "5")
    expected = synth.generate(float(SCALE), 5, places.area_tree())
    stored = {(i.person.id_number, i.kind, i.monthly_amount, i.note)
              for i in IncomeItem.objects.select_related("person")}
    assert stored == {(p.id_number, kind, amount, note) for hh in expected
                      for p in hh.members for kind, amount, note in p.incomes}


def test_every_record_starts_with_a_history_row() -> None:
    run("seed")
    for model in (Household, Person, IncomeItem, Asset, RigidExpense):
        history = model.history.filter(history_type="+")  # type: ignore[attr-defined]
        assert history.count() == model.objects.count() > 0, model
    person = Person.objects.first()
    assert person is not None and person.history.get().name == person.name


def test_registry_services_continue_after_the_generated_rows(settings: Any) -> None:
    """Primary-key sequences and household numbers carry on where the generator stopped."""
    run("seed")
    clerk = User.objects.create_user("c", password="Xy-2022-pass", role=Role.CLERK)
    village = Area.objects.get(code="320722001200")
    clerk.areas.set([village])
    last = Household.objects.filter(area=village).order_by("-number").first()
    household = services.create_household(
        Actor.of(clerk), {"area_code": village.code, "hukou": "rural", "address": "1组1号"},
        {"name": "新户主", "id_number": "320722199001010019"})
    assert household.pk > Household.objects.exclude(pk=household.pk).order_by("-pk")[0].pk
    expected_sequence = int(last.number[12:]) + 1 if last else 1
    assert household.number == f"{village.code}{expected_sequence:05d}"


def test_demo_creates_the_logins_in_the_first_township() -> None:
    output = run("demo")
    assert "SafetyNet-2022" in output
    users = {u.username: u for u in User.objects.filter(
        username__in=[name for name, *_ in DEMO_USERS])}
    assert len(users) == len(DEMO_USERS)
    for username, role, scope, _display in DEMO_USERS:
        user = users[username]
        (area,) = user.areas.all()
        assert user.role == role and user.check_password("SafetyNet-2022")
        assert area.level == scope
    assert users["clerk"].areas.get().code == "320722001"
    assert users["village"].areas.get().code == "320722001200"


def test_if_missing_does_nothing_the_second_time() -> None:
    run("demo")
    counts = (Household.objects.count(), Person.objects.count(), User.objects.count())
    output = run("demo", "--if-missing")
    assert "nothing to do" in output
    assert (Household.objects.count(), Person.objects.count(), User.objects.count()) == counts


def test_generating_twice_without_if_missing_is_refused() -> None:
    run("seed")
    with pytest.raises(CommandError, match="already has households"):
        run("seed")


def test_no_synthetic_people_in_production(settings: Any) -> None:
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        run("seed")
    assert not Household.objects.exists()


def test_orm_path_writes_the_same_rows() -> None:
    """The fast writer matches simple_history's bulk_create_with_history row for row."""
    tree = places.area_tree()
    households = synth.generate(0.002, 3, tree)
    loader.ensure_areas(tree)
    loader.write(households)
    fast = snapshot()
    for model in (IncomeItem, Asset, RigidExpense, Person, Household):
        model.objects.all().delete()
        model.history.all().delete()  # type: ignore[attr-defined]
    loader.write_orm(households)
    assert snapshot() == fast


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    skip = {"id", "created_at", "household", "person", "household_id", "person_id"}

    def rows(model: Any) -> list[tuple[Any, ...]]:
        fields = [f.attname for f in model._meta.concrete_fields if f.attname not in skip]
        return sorted(tuple(str(v) for v in row) for row in
                      model.objects.values_list(*fields))

    return {m.__name__: rows(m) for m in (Household, Person, IncomeItem, Asset, RigidExpense)}
