"""The registry's smaller service functions: household numbers, editor checks, change
reasons and likely duplicates."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from safetynet.core.actor import Actor
from safetynet.core.models import Area
from safetynet.registry import services
from safetynet.registry.models import DuplicateFlag
from tests.conftest import VILLAGE_A, VILLAGE_B, make_household, new_id


def test_household_numbers_follow_the_village_code(clerk, county) -> None:
    area = Area.objects.get(code=VILLAGE_A)
    assert services.next_household_number(area) == f"{VILLAGE_A}00001"
    first = make_household(clerk)
    assert first.number == f"{VILLAGE_A}00001"
    assert services.next_household_number(area) == f"{VILLAGE_A}00002"


def test_require_editor_checks_role_and_area(clerk, approver, county) -> None:
    services.require_editor(Actor.of(clerk), VILLAGE_A)
    with pytest.raises(PermissionDenied):
        services.require_editor(Actor.of(clerk), VILLAGE_B)  # another township
    with pytest.raises(PermissionDenied):
        services.require_editor(Actor.of(approver), VILLAGE_A)  # reads, does not edit


def test_set_reason_is_stored_with_the_next_change(clerk, county) -> None:
    household = make_household(clerk)
    services.set_reason(household, "地址更正")
    household.address = "东村2组"
    household.save()
    assert household.history.latest().history_change_reason == "地址更正"


def test_a_twin_without_an_id_number_is_flagged(clerk, county) -> None:
    household = make_household(clerk)
    born = date(1970, 5, 6)
    first = services.add_person(Actor.of(clerk), household, {"name": "李四", "birth_date": born,
                                                             "sex": "M", "relation": "other"})
    twin = services.add_person(Actor.of(clerk), household, {"name": "李四", "birth_date": born,
                                                            "sex": "M", "relation": "other"})
    flags = DuplicateFlag.objects.filter(person=twin)
    assert [flag.candidate_id for flag in flags] == [first.pk]
    again = services.flag_likely_duplicates(twin)
    assert [flag.candidate_id for flag in again] == [first.pk]
    distinct = services.add_person(Actor.of(clerk), household, {"name": "李四", "birth_date": born,
                                                                "id_number": new_id(born),
                                                                "relation": "other"})
    assert [f.candidate_id for f in DuplicateFlag.objects.filter(person=distinct)] == [
        first.pk, twin.pk]


def test_resolving_a_duplicate_needs_a_known_status_and_the_area(clerk, clerk_b,
                                                                 county) -> None:
    household = make_household(clerk)
    born = date(1970, 5, 6)
    for _ in range(2):
        services.add_person(Actor.of(clerk), household, {"name": "王五", "birth_date": born,
                                                         "sex": "M", "relation": "other"})
    flag = DuplicateFlag.objects.get()
    with pytest.raises(ValidationError) as bad:
        services.resolve_duplicate(Actor.of(clerk), flag, "maybe")
    assert "status" in bad.value.message_dict
    with pytest.raises(PermissionDenied):
        services.resolve_duplicate(Actor.of(clerk_b), flag, DuplicateFlag.DISTINCT)
    services.resolve_duplicate(Actor.of(clerk), flag, DuplicateFlag.DISTINCT)
    flag.refresh_from_db()
    assert (flag.status, flag.resolved_by) == (DuplicateFlag.DISTINCT, clerk)
