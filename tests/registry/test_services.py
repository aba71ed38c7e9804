from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from safetynet.core.actor import Actor
from safetynet.registry import services
from safetynet.registry.models import DuplicateFlag, Household, Person
from tests.conftest import VILLAGE_A, VILLAGE_B, make_household, new_id


def test_create_household_numbers_it_and_adds_the_head(clerk) -> None:
    household = make_household(clerk, members=2)
    assert household.number == f"{VILLAGE_A}00001"
    assert household.members.filter(relation="head").count() == 1
    assert household.members.count() == 3
    assert set(household.members.values_list("area_id", flat=True)) == {VILLAGE_A}


def test_id_number_fills_birth_date_and_sex(clerk) -> None:
    household = make_household(clerk, id_number="320722201003150023", sex="", birth_date=None)
    head = household.members.get()
    assert (head.birth_date, head.sex) == (date(2010, 3, 15), "F")


def test_mismatched_birth_date_is_a_field_error(clerk) -> None:
    with pytest.raises(ValidationError) as exc:
        make_household(clerk, id_number="320722199001010019", birth_date=date(1990, 1, 2))
    assert "birth_date" in exc.value.message_dict
    assert Household.objects.count() == 0  # nothing half-written


def test_wrong_check_code_names_the_expected_character(clerk) -> None:
    with pytest.raises(ValidationError) as exc:
        make_household(clerk, id_number="110105194912310021")
    assert "X" in exc.value.message_dict["id_number"][0]


def test_registered_id_number_names_the_existing_person(clerk) -> None:
    first = make_household(clerk, name="李四", id_number="320722199001010019")
    with pytest.raises(ValidationError) as exc:
        services.add_person(Actor.of(clerk), first, {
            "name": "别人", "id_number": "320722199001010019", "relation": "child"})
    message = exc.value.message_dict["id_number"][0]
    assert "李四" in message and first.number in message


def test_likely_duplicate_without_id_is_flagged(clerk) -> None:
    household = make_household(clerk, name="王五", id_number="320722199001010019")
    services.add_person(Actor.of(clerk), household, {"name": "王五", "birth_date": date(1990, 1, 1),
                                                     "sex": "M", "relation": "other"})
    assert DuplicateFlag.objects.filter(status="open").count() == 1


def test_clerk_cannot_write_outside_their_township(clerk) -> None:
    with pytest.raises(PermissionDenied):
        make_household(clerk, village=VILLAGE_B)


def test_move_split_merge_and_death_keep_history(clerk) -> None:
    one = make_household(clerk, name="赵一", members=2)
    two = make_household(clerk, name="钱二")
    child = one.members.exclude(relation="head").first()
    services.move_person(Actor.of(clerk), child, two, "other")
    assert child.household == two
    other_child = one.members.exclude(relation="head").get()
    new = services.split_household(Actor.of(clerk), one, [other_child.pk], other_child.pk)
    assert new.members.get().relation == "head"
    services.merge_households(Actor.of(clerk), new, two)
    new.refresh_from_db()
    assert not new.active and two.members.count() == 3
    services.mark_deceased(Actor.of(clerk), child, date(2024, 1, 1))
    assert Person.objects.get(pk=child.pk).deceased_on == date(2024, 1, 1)
    assert child.history.count() == 3  # created, moved, deceased
    assert Person.objects.count() == 4  # nothing hard-deleted


def test_moving_the_head_of_a_family_needs_a_new_head_first(clerk) -> None:
    one = make_household(clerk, members=1)
    two = make_household(clerk, name="钱二", id_number=new_id(date(1970, 1, 1)))
    with pytest.raises(ValidationError):
        services.move_person(Actor.of(clerk), one.members.get(relation="head"), two, "other")


def test_registered_id_in_another_township_is_not_named(clerk, clerk_b) -> None:
    make_household(clerk_b, village=VILLAGE_B, name="外乡人", id_number="320722199001010019")
    household = make_household(clerk, name="本乡人")
    with pytest.raises(ValidationError) as exc:
        services.add_person(Actor.of(clerk), household, {
            "name": "x", "id_number": "320722199001010019", "relation": "other"})
    message = exc.value.message_dict["id_number"][0]
    assert "外乡人" not in message and VILLAGE_B not in message
