"""Benefit card numbers are checked in one place (core.bankcards) and refused wherever an
account is entered: the household form, the service (hence the API) and the Excel import."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from safetynet.core import bankcards
from safetynet.core.actor import Actor
from safetynet.registry import services
from safetynet.registry.forms import HouseholdForm
from tests.conftest import VILLAGE_A, make_household
from tests.registry.test_api import Api, errors, new_household_body
from tests.registry.test_import import check, member

VALID = "6228480012345671"  # 16 digits, Luhn check digit 1
WRONG_CHECK_DIGIT = "6228480012345678"


@pytest.mark.parametrize("number", [VALID, "6217001111222232", "6228480012345678903",
                                    "622848001237"])
def test_valid_numbers_pass_and_come_back_normalised(number: str) -> None:
    assert bankcards.check(number) == number
    spaced = " ".join(number[i:i + 4] for i in range(0, len(number), 4))
    assert bankcards.check(spaced) == number
    assert bankcards.check("") == "" and bankcards.check(None) == ""


@pytest.mark.parametrize(("number", "problem"), [
    (WRONG_CHECK_DIGIT, "check digit"),
    ("62284800123X5671", "digits only"),
    ("62284800123", "has 11 digits"),  # too short even though it may pass Luhn
    ("62284800123456789012", "has 20 digits"),
    ("６２２８４８００１２３４５６７１", "digits only"),  # full-width digits
])
def test_invalid_numbers_are_refused_naming_the_problem(number: str, problem: str) -> None:
    with translation.override("en"), pytest.raises(bankcards.BankCardError) as exc:
        bankcards.check(number)
    assert problem in str(exc.value) and "Benefit card account" in str(exc.value)


def test_the_message_is_chinese_by_default_and_does_not_show_the_whole_number() -> None:
    with translation.override("zh-hans"), pytest.raises(bankcards.BankCardError) as exc:
        bankcards.check(WRONG_CHECK_DIGIT)
    assert "一卡通账号" in str(exc.value) and "校验位" in str(exc.value)
    assert WRONG_CHECK_DIGIT not in str(exc.value) and "5678" in str(exc.value)


def test_the_household_form_refuses_a_number_failing_luhn(clerk) -> None:
    data = {"area_code": VILLAGE_A, "hukou": "rural", "address": "东村1组",
            "bank_name": "农商银行", "bank_account": WRONG_CHECK_DIGIT}
    form = HouseholdForm(data, user=clerk)
    assert not form.is_valid() and list(form.errors) == ["bank_account"]
    form = HouseholdForm({**data, "bank_account": "6228 4800 1234 5671"}, user=clerk)
    assert form.is_valid() and form.cleaned_data["bank_account"] == VALID


def test_the_services_refuse_an_invalid_number_and_keep_the_old_one(clerk) -> None:
    household = make_household(clerk)
    services.update_household(Actor.of(clerk), household, {"bank_account": VALID})
    with pytest.raises(ValidationError) as exc:
        services.update_household(Actor.of(clerk), household, {"bank_account": WRONG_CHECK_DIGIT})
    assert list(exc.value.message_dict) == ["bank_account"]
    household.refresh_from_db()
    assert household.bank_account == VALID
    with pytest.raises(ValidationError):
        services.create_household(Actor.of(clerk), {"area_code": VILLAGE_A, "hukou": "rural",
                                                    "address": "东村", "bank_account": "12345"},
                                  {"name": "赵六", "sex": "M", "birth_date": "1970-01-01"})


def test_the_api_answers_422_naming_the_account_field(clerk) -> None:
    body = new_household_body()
    body["bank_account"] = WRONG_CHECK_DIGIT
    response = Api(clerk).post("/households", body)
    assert response.status_code == 422
    assert "bank_account" in errors(response)
    household = make_household(clerk)
    response = Api(clerk).patch(f"/households/{household.pk}", {"bank_account": "abc"})
    assert response.status_code == 422 and "bank_account" in errors(response)


def test_the_excel_import_refuses_the_row(tmp_path: Path, clerk) -> None:
    with translation.override("en"):
        plan = check(tmp_path, clerk, [member("A", name="张三", sex="男",
                                              birth_date="1970-01-01",
                                              bank_account=WRONG_CHECK_DIGIT)])
    problems = [e.message for e in plan.errors]
    assert any("check digit" in m for m in problems), problems
