"""Temporary assistance calculator and composite need assessment."""

from __future__ import annotations

import datetime as dt

import pytest

from safetynet.policy import assess_need, temporary_assistance
from safetynet.policy.jsonio import parse_payload, payload_frames

ON = dt.date(2022, 9, 1)
DONGHAI = {"area_code": "320722", "hukou": "rural"}


def test_township_may_grant_up_to_twice_the_standard() -> None:
    result = temporary_assistance("emergency", 1, 2, on=ON, **DONGHAI)
    assert (result.amount, result.township_limit) == (1300, 1300)
    assert result.township_may_grant and not result.needs_county_approval
    assert "1 个月 × 低保标准 650 元 × 2 人 = 1,300 元" in result.explanation_zh


def test_larger_grants_need_county_approval() -> None:
    result = temporary_assistance("expenditure", 3, 3, standard=650, area_code="320722", on=ON)
    assert result.amount == 5850
    assert result.needs_county_approval
    assert "needs county approval" in result.explanation("en")


@pytest.mark.parametrize("months", [0, 13])
def test_months_are_1_to_12(months: int) -> None:
    with pytest.raises(ValueError, match="months"):
        temporary_assistance("emergency", months, 1, on=ON, **DONGHAI)


def test_temporary_follows_a_standard_override() -> None:
    from safetynet.policy import load_parameters

    params = load_parameters().with_overrides({"dibao.standard": 700})
    assert temporary_assistance("emergency", 2, 1, on=ON, params=params, **DONGHAI).amount == 1400


def test_need_assessment_scores_and_recommends() -> None:
    payload = {
        "on": ON.isoformat(),
        "households": [
            {
                "id": "H1",
                "area_code": "320722100201",
                "hukou": "rural",
                "houses": 0,
                "rigid_expenses": 900,
                "members": [
                    {
                        "id": "P1",
                        "birth_date": "1950-01-01",
                        "monthly_income": 300,
                        "ability_grade": 3,
                        "serious_illness": True,
                    },
                    {"id": "P2", "birth_date": "2012-01-01", "full_time_student": True},
                ],
            },
            {
                "id": "H2",
                "area_code": "320722100201",
                "hukou": "rural",
                "houses": 1,
                "financial_assets": 100000,
                "members": [{"id": "P3", "birth_date": "1980-01-01", "monthly_income": 5000}],
            },
        ],
    }
    persons, households = payload_frames(parse_payload(payload))
    result = assess_need(persons, households, ON).to_dicts()
    needy, comfortable = result
    assert needy["level"] == "high" and comfortable["level"] == "none"
    assert {
        "dibao",
        "temporary",
        "medical_referral",
        "housing_referral",
        "care_services",
        "education_referral",
    } <= set(needy["recommendations"])
    assert len(needy["reasons"]) == len(needy["recommendations"])
    assert comfortable["recommendations"] == []
