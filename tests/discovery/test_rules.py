"""Each early-warning rule at its threshold (parameters of policy/parameters/discovery)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from safetynet.discovery.models import EarlyWarning, Severity
from safetynet.discovery.rules import explain, months_before
from safetynet.registry.models import Person
from tests.conftest import make_household, new_id
from tests.discovery.conftest import head, import_rows


def warned(rule: str) -> list[EarlyWarning]:
    return list(EarlyWarning.objects.filter(rule=rule))


# Household income 1,000 yuan a month: 12,000 over the 12-month window; the line is
# max(0.5 × 12,000, 3,000) = 6,000 yuan.
@pytest.mark.parametrize(("amount", "raised"), [("6000.00", False), ("6000.01", True)])
def test_medical_costs_above_the_share_of_income(county_officer: Any, household: Any,
                                                 amount: str, raised: bool) -> None:
    import_rows(county_officer, "medical", [{"id_number": head(household).id_number,
                                             "settled_on": "2022-08-01",
                                             "out_of_pocket": amount}])
    assert bool(warned("medical_burden")) is raised


def test_medical_costs_add_up_over_twelve_months_only(county_officer: Any,
                                                     household: Any) -> None:
    idn = head(household).id_number
    import_rows(county_officer, "medical", [
        {"id_number": idn, "settled_on": "2021-08-01", "out_of_pocket": "5000"},  # too old
        {"id_number": idn, "settled_on": "2022-01-10", "out_of_pocket": "3000"},
        {"id_number": idn, "settled_on": "2022-08-01", "out_of_pocket": "3000.01"}])
    warning = warned("medical_burden")[0]
    assert warning.facts["total"] == "6000.01" and warning.evidence.count() == 2
    assert "6000.01" in explain(warning.rule, warning.facts)


def test_medical_floor_applies_without_income(county_officer: Any, clerk: Any) -> None:
    home = make_household(clerk, id_number=new_id(date(1970, 1, 1)))
    idn = head(home).id_number
    import_rows(county_officer, "medical", [{"id_number": idn, "settled_on": "2022-08-01",
                                             "out_of_pocket": "3000"}])
    assert not warned("medical_burden")
    import_rows(county_officer, "medical", [{"id_number": idn, "settled_on": "2022-08-02",
                                             "out_of_pocket": "0.01"}])
    assert warned("medical_burden")[0].severity == Severity.HIGH  # above all income


@pytest.mark.parametrize(("grade", "raised"), [("2", True), ("3", False), ("一级", True)])
def test_new_disability_certificate_of_grade_two_or_worse(county_officer: Any,
                                                          household: Any, grade: str,
                                                          raised: bool) -> None:
    import_rows(county_officer, "disability", [{
        "id_number": head(household).id_number, "grade": grade, "issued_on": "2022-06-01"}])
    assert bool(warned("new_disability")) is raised


def test_a_grade_the_registry_already_knew_is_not_new(county_officer: Any,
                                                      household: Any) -> None:
    Person.objects.filter(pk=head(household).pk).update(disability_grade=2,
                                                        disability_category="physical")
    import_rows(county_officer, "disability", [{
        "id_number": head(household).id_number, "grade": "2", "issued_on": "2022-06-01"}])
    assert not warned("new_disability")


def _person_aged(clerk: Any, age: int, on: date) -> Person:
    born = months_before(on, 12 * age)
    return head(make_household(clerk, id_number=new_id(born)))


@pytest.mark.parametrize(("age", "raised"), [(15, False), (16, True), (59, True), (60, False)])
def test_death_of_a_working_age_member(county_officer: Any, clerk: Any, age: int,
                                       raised: bool) -> None:
    person = _person_aged(clerk, age, date(2022, 5, 1))
    import_rows(county_officer, "death", [{"id_number": person.id_number,
                                           "died_on": "2022-05-01"}])
    assert bool(warned("death")) is raised


@pytest.mark.parametrize(("age", "event", "raised"), [
    (59, "失业登记", True), (59, "停保", True), (60, "失业登记", False)])
def test_job_loss_or_insurance_stop_of_a_working_age_member(county_officer: Any, clerk: Any,
                                                            age: int, event: str,
                                                            raised: bool) -> None:
    person = _person_aged(clerk, age, date(2022, 5, 1))
    import_rows(county_officer, "employment", [{"id_number": person.id_number, "event": event,
                                                "event_on": "2022-05-01"}])
    assert bool(warned("job_loss")) is raised


@pytest.mark.parametrize(("damage", "loss", "severity"), [
    ("房屋倒塌", "0", Severity.HIGH), ("严重损坏", "", Severity.HIGH),
    ("一般损坏", "9999.99", None), ("一般损坏", "10000", Severity.MEDIUM)])
def test_disaster_damage(county_officer: Any, household: Any, damage: str, loss: str,
                         severity: str | None) -> None:
    import_rows(county_officer, "disaster", [{
        "id_number": head(household).id_number, "disaster_on": "2022-07-20",
        "damage": damage, "loss": loss}])
    found = warned("disaster")
    assert (found[0].severity if found else None) == severity


def test_hotline_request_warns_with_low_severity(county_officer: Any, household: Any) -> None:
    import_rows(county_officer, "hotline", [{
        "id_number": head(household).id_number, "ticket": "12345-1", "received_on": "2022-08-01",
        "summary": "家中老人生病无钱医治"}])
    warning = warned("hotline")[0]
    assert warning.severity == Severity.LOW and "无钱医治" in explain("hotline", warning.facts)


def test_unmatched_rows_raise_nothing(county_officer: Any, household: Any) -> None:
    import_rows(county_officer, "death", [{"id_number": "11010519491231002X",
                                           "died_on": "2022-05-01"}])
    assert not EarlyWarning.objects.exists()
