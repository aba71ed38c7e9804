"""The GB/T 42195-2022 score and grade against worked examples."""

from __future__ import annotations

import pytest

from safetynet.eldercare import ability
from safetynet.eldercare.ability import Conditions, ScoreError, assess, full_marks


def form(**lowered: int) -> dict[str, int]:
    """Full marks with some items set lower."""
    return {**full_marks(), **lowered}


def test_the_form_has_26_items_in_four_parts_totalling_90() -> None:
    assert len(ability.ITEMS) == 26
    counts = {part: sum(1 for i in ability.ITEMS if i.part == part) for part in ability.PARTS}
    assert counts == {"self_care": 8, "motor": 4, "mental": 9, "perception": 5}
    assert ability.part_scores(full_marks()) == ability.PART_MAX
    assert sum(i.max_score for i in ability.ITEMS) == 90


def test_full_marks_is_grade_0() -> None:
    result = assess(full_marks())
    assert (result.total, result.grade) == (90, 0)


def test_worked_example_on_the_mild_moderate_boundary() -> None:
    # An 86-year-old: needs help bathing (1) and with trousers and shoes (2), some urine
    # leakage (2); walks with a stick (2), cannot manage stairs (0); confused about the date
    # (2), forgets recent events (3); hearing impaired (1), no longer handles daily affairs (1),
    # cannot go out alone (0), little social contact (2).
    scores = form(bathing=1, dressing_lower=2, urine=2, walking=2, stairs=0,
                  time_orientation=2, memory=3, hearing=1, daily_affairs=1, transport=0,
                  social=2)
    result = assess(scores)
    assert result.parts == {"self_care": 25, "motor": 10, "mental": 25, "perception": 6}
    assert result.total == 66
    assert result.grade == 1
    worse = assess({**scores, "grooming": 3})
    assert (worse.total, worse.grade) == (65, 2)


@pytest.mark.parametrize(("total", "grade"), [
    (90, 0), (89, 1), (66, 1), (65, 2), (46, 2), (45, 3), (30, 3), (29, 4), (0, 4)])
def test_grade_bands(total: int, grade: int) -> None:
    assert ability.grade_of_total(total) == grade


def test_zero_everywhere_is_complete_loss() -> None:
    result = assess(dict.fromkeys(ability.ITEM_CODES, 0))
    assert (result.total, result.grade) == (0, 4)


@pytest.mark.parametrize("conditions", [
    Conditions(dementia=True), Conditions(psychiatric=True), Conditions(risk_events_30d=2)])
def test_aggravating_conditions_make_it_one_grade_worse(conditions: Conditions) -> None:
    result = assess(form(bathing=0, stairs=0, memory=0), conditions)  # total 79: mild
    assert (result.preliminary_grade, result.grade) == (1, 2)


def test_one_risk_event_and_several_conditions_count_once() -> None:
    scores = form(bathing=0, stairs=0, memory=0)
    assert assess(scores, Conditions(risk_events_30d=1)).grade == 1
    assert assess(scores, Conditions(True, True, 5)).grade == 2


def test_grade_4_stays_4() -> None:
    assert assess(dict.fromkeys(ability.ITEM_CODES, 0), Conditions(dementia=True)).grade == 4


def test_coma_is_grade_4_whatever_the_total() -> None:
    result = assess(form(consciousness=0))
    assert (result.total, result.preliminary_grade, result.grade) == (88, 1, 4)


@pytest.mark.parametrize(("scores", "field"), [
    (form(stairs=4), "stairs"), (form(aggression=2), "aggression"),
    (form(eating=-1), "eating"), ({k: v for k, v in full_marks().items() if k != "vision"},
                                  "vision"),
    ({**full_marks(), "dancing": 2}, "dancing")])
def test_bad_scores_name_the_item(scores: dict[str, int], field: str) -> None:
    with pytest.raises(ScoreError) as caught:
        assess(scores)
    assert caught.value.field == field
