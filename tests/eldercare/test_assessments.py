"""Recording an ability assessment: grade into the registry, history, reassessment due."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from safetynet.accounts.models import User
from safetynet.core.actor import Actor
from safetynet.eldercare import services
from safetynet.eldercare.ability import full_marks
from safetynet.eldercare.models import Assessment
from safetynet.eldercare.selectors import assessments_due
from safetynet.registry.models import Person
from tests.eldercare.conftest import elderly

MODERATE = {**full_marks(), "bathing": 0, "stairs": 0, "walking": 1, "memory": 0,
            "time_orientation": 0, "transport": 0, "daily_affairs": 0, "social": 1,
            "dressing_lower": 1, "urine": 1}  # total 56


def test_completed_assessment_sets_the_persons_grade(clerk: User, old_man: Person) -> None:
    assessment = services.record_assessment(Actor.of(clerk), old_man, scores=MODERATE,
                                            assessed_on=date(2022, 7, 1))
    assert (assessment.total, assessment.grade) == (56, 2)
    assert assessment.next_due == date(2023, 7, 1)
    old_man.refresh_from_db()
    assert old_man.ability_grade == 2
    assert old_man.history.first().history_change_reason


def test_an_older_form_entered_later_does_not_overwrite_the_grade(clerk: User,
                                                                   old_man: Person) -> None:
    services.record_assessment(Actor.of(clerk),
                               old_man, scores=MODERATE, assessed_on=date(2022, 7, 1),
                               dementia=True)
    services.record_assessment(Actor.of(clerk), old_man, scores=full_marks(),
                               assessed_on=date(2021, 7, 1))
    old_man.refresh_from_db()
    assert old_man.ability_grade == 3
    assert [a.grade for a in old_man.assessments.all()] == [3, 0]


def test_string_scores_from_a_form_are_accepted(clerk: User, old_man: Person) -> None:
    scores = {k: str(v) for k, v in full_marks().items()}
    assert services.record_assessment(Actor.of(clerk), old_man, scores=scores,
                                      assessed_on=date(2022, 7, 1)).grade == 0


@pytest.mark.parametrize(("change", "field"), [
    ({"stairs": 4}, "stairs"), ({"memory": "多"}, "memory"), ({"eating": None}, "eating")])
def test_a_bad_score_names_the_item_and_writes_nothing(clerk: User, old_man: Person,
                                                      change: dict, field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        services.record_assessment(Actor.of(clerk), old_man, scores={**full_marks(), **change},
                                   assessed_on=date(2022, 7, 1))
    assert field in caught.value.message_dict
    assert not Assessment.objects.exists()
    old_man.refresh_from_db()
    assert old_man.ability_grade is None


def test_only_for_people_aged_60_and_in_the_users_areas(clerk: User, clerk_b: User,
                                                        old_man: Person) -> None:
    young = elderly(clerk, "小张", date(1970, 1, 1))
    with pytest.raises(ValidationError) as caught:
        services.record_assessment(Actor.of(clerk), young, scores=full_marks(),
                                   assessed_on=date(2022, 7, 1))
    assert "person" in caught.value.message_dict
    with pytest.raises(PermissionDenied):
        services.record_assessment(Actor.of(clerk_b), old_man, scores=full_marks(),
                                   assessed_on=date(2022, 7, 1))
    with pytest.raises(ValidationError):
        services.record_assessment(Actor.of(clerk), old_man, scores=full_marks(),
                                   assessed_on=date(2099, 1, 1))


def test_reassessment_reminders_list_the_latest_overdue_form(clerk: User,
                                                             old_man: Person) -> None:
    other = elderly(clerk, "钱奶奶", date(1936, 6, 6))
    services.record_assessment(Actor.of(clerk),
                               old_man, scores=MODERATE, assessed_on=date(2021, 3, 1))
    services.record_assessment(Actor.of(clerk),
                               other, scores=MODERATE, assessed_on=date(2021, 3, 1))
    services.record_assessment(Actor.of(clerk),
                               other, scores=MODERATE, assessed_on=date(2022, 3, 1))
    due = assessments_due(clerk, date(2022, 6, 1))
    assert [a.person.name for a in due] == ["王大爷"]
