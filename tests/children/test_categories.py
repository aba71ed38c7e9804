"""Category derivation from recorded facts (DOMAIN.md §6), with the reason shown."""

from __future__ import annotations

import pytest

from safetynet.children.categories import Facts, Limits, derive, visit_months

LIMITS = Limits(left_behind_age=16, child_age=18, continue_in_study=True)


def facts(**kw: object) -> Facts:
    base: dict[str, object] = {"age": 10, "rural": True, "father": "migrant",
                               "mother": "migrant"}
    return Facts(**{**base, **kw})  # type: ignore[arg-type]


def test_both_parents_migrant_rural_child_of_15_is_left_behind() -> None:
    found = derive(facts(age=15), LIMITS)
    assert list(found) == ["left_behind"]
    assert "15" in found["left_behind"]


def test_at_16_the_child_is_no_longer_left_behind() -> None:
    assert derive(facts(age=16), LIMITS) == {}


def test_at_16_with_a_parent_unable_and_the_other_away_guardianship_is_lacking() -> None:
    found = derive(facts(age=16, mother="imprisoned"), LIMITS)
    assert list(found) == ["guardianship"]


def test_nobody_at_home_and_no_carer_recorded_lacks_guardianship() -> None:
    assert list(derive(facts(rural=False, has_carer=False), LIMITS)) == ["guardianship"]
    assert derive(facts(rural=False), LIMITS) == {}


def test_one_parent_migrant_and_the_other_disabled_is_left_behind() -> None:
    found = derive(facts(father="migrant", mother="disabled"), LIMITS)
    assert "left_behind" in found
    assert "no_carer" not in found


@pytest.mark.parametrize("other", ["at_home", "unknown"])
def test_one_parent_migrant_and_the_other_able_or_unknown_is_not_left_behind(other) -> None:
    assert "left_behind" not in derive(facts(mother=other), LIMITS)


def test_urban_hukou_is_never_left_behind() -> None:
    assert "left_behind" not in derive(facts(rural=False), LIMITS)


def test_both_parents_deceased_is_an_orphan() -> None:
    found = derive(facts(father="deceased", mother="deceased"), LIMITS)
    assert "orphan" in found and "no_carer" not in found


@pytest.mark.parametrize("father,mother", [("deceased", "imprisoned"),
                                           ("missing", "disabled"), ("ill", "lost_contact")])
def test_both_parents_unable_is_a_child_without_a_de_facto_carer(father, mother) -> None:
    found = derive(facts(father=father, mother=mother), LIMITS)
    assert "no_carer" in found


def test_registry_orphan_status_counts() -> None:
    found = derive(facts(father="at_home", mother="at_home", registry_orphan="orphan"), LIMITS)
    assert list(found) == ["orphan"]


def test_orphan_continues_past_18_in_full_time_study_only() -> None:
    orphan = {"father": "deceased", "mother": "deceased", "age": 19}
    assert "orphan" in derive(facts(**orphan, full_time_student=True), LIMITS)
    assert derive(facts(**orphan), LIMITS) == {}


def test_children_in_difficulty_poverty_disability_improper_guardianship() -> None:
    found = derive(facts(father="at_home", mother="at_home", poverty=True,
                         disability_grade=2, improper_guardianship=True), LIMITS)
    assert list(found) == ["poverty", "disability", "guardianship"]


def test_a_child_with_a_parent_at_home_and_no_difficulty_is_in_no_category() -> None:
    assert derive(facts(father="migrant", mother="at_home"), LIMITS) == {}


def test_visit_interval_is_the_shortest_of_the_categories() -> None:
    intervals = {"orphan": 1, "no_carer": 1, "left_behind": 3, "poverty": 3}
    assert visit_months(["left_behind"], intervals) == 3
    assert visit_months(["left_behind", "no_carer"], intervals) == 1
    assert visit_months([], intervals) is None
