"""Warnings: suppression when already covered, merging of recurring signals, the deadline
to verify, escalation when late, and the three outcomes of a verification."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from safetynet.benefits.models import Enrollment, beneficiary_key
from safetynet.core.actor import Actor
from safetynet.core.workdays import add_working_days
from safetynet.discovery import services, warnings
from safetynet.discovery.models import EarlyWarning, Outcome, WarningStatus
from safetynet.intake import selectors as intake_selectors
from safetynet.intake.models import Application, Referral
from tests.conftest import make_household, make_user
from tests.discovery.conftest import head, import_rows

BILL = {"settled_on": "2022-08-01", "out_of_pocket": "7000"}


def bill(household: Any, **extra: Any) -> dict[str, Any]:
    return {"id_number": head(household).id_number, **BILL, **extra}


def enrol(household: Any, program: str, person: Any = None) -> Enrollment:
    return Enrollment.objects.create(
        program=program, household=household, person=person,
        beneficiary=beneficiary_key(household.pk, person.pk if person else None),
        approved_on=date(2022, 1, 5), start_month=date(2022, 2, 1), monthly_amount=650,
        amount_from=date(2022, 2, 1))


def test_a_household_already_in_dibao_is_not_warned_about_medical_costs(
        county_officer: Any, household: Any) -> None:
    enrol(household, "dibao")
    job = import_rows(county_officer, "medical", [bill(household)])
    warning = EarlyWarning.objects.get()
    assert warning.status == WarningStatus.SUPPRESSED and job.warnings_raised == 0
    assert warning.suppressed_because == "enrolment:dibao"


def test_suppression_is_per_programme(county_officer: Any, household: Any) -> None:
    enrol(household, "elderly_allowance", head(household))  # not the right programme
    import_rows(county_officer, "medical", [bill(household)])
    assert EarlyWarning.objects.get().status == WarningStatus.OPEN


def test_nursing_allowance_suppresses_a_disability_warning_for_that_person(
        county_officer: Any, household: Any) -> None:
    other = household.members.exclude(relation="head").get()
    enrol(household, "disability_nursing", other)
    import_rows(county_officer, "disability", [
        {"id_number": head(household).id_number, "grade": "1", "issued_on": "2022-06-01"},
        {"id_number": other.id_number, "grade": "1", "issued_on": "2022-06-01"}])
    states = dict(EarlyWarning.objects.values_list("person_id", "status"))
    assert states == {head(household).pk: WarningStatus.OPEN,
                      other.pk: WarningStatus.SUPPRESSED}


def test_an_open_application_suppresses_too(county_officer: Any, household: Any,
                                            clerk: Any) -> None:
    from safetynet.intake.services import applications

    applications.create_application(Actor.of(clerk), kind="dibao", household=household,
                                    applicant=head(household), reason="无收入")
    import_rows(county_officer, "medical", [bill(household)])
    assert EarlyWarning.objects.get().suppressed_because == "application:dibao"


def test_recurring_signals_merge_into_one_open_warning(county_officer: Any,
                                                       household: Any) -> None:
    import_rows(county_officer, "medical", [bill(household)])
    import_rows(county_officer, "medical", [bill(household, settled_on="2022-09-01")])
    other = household.members.exclude(relation="head").get()
    import_rows(county_officer, "medical", [{**BILL, "id_number": other.id_number,
                                             "settled_on": "2022-09-15"}])
    warning = EarlyWarning.objects.get()
    assert warning.signals == 3 and warning.evidence.count() == 3
    assert warning.last_signal_on == date(2022, 9, 15)


def test_signals_in_one_file_merge_too(county_officer: Any, household: Any) -> None:
    import_rows(county_officer, "hotline", [
        {"id_number": head(household).id_number, "ticket": t, "received_on": "2022-08-01",
         "summary": "生活困难"} for t in ("A1", "A2")])
    assert EarlyWarning.objects.get().signals == 2


def test_after_verification_a_new_signal_opens_a_new_warning(
        county_officer: Any, household: Any, village_worker: Any) -> None:
    import_rows(county_officer, "medical", [bill(household)])
    services.verify_warning(Actor.of(village_worker), EarlyWarning.objects.get(), Outcome.NO_NEED,
                            {"note": "已由子女承担医疗费"})
    import_rows(county_officer, "medical", [bill(household, settled_on="2022-10-01")])
    assert EarlyWarning.objects.filter(status=WarningStatus.OPEN).count() == 1
    assert EarlyWarning.objects.count() == 2


def test_deadline_is_ten_working_days(county_officer: Any, household: Any) -> None:
    import_rows(county_officer, "medical", [bill(household)])
    warning = EarlyWarning.objects.get()
    assert warning.due_on == add_working_days(warning.raised_on, 10)


def test_late_warnings_escalate_to_the_township_then_the_county(county_officer: Any,
                                                                household: Any) -> None:
    import_rows(county_officer, "medical", [bill(household)])
    warning = EarlyWarning.objects.get()
    assert warnings.escalate_late(warning.due_on) == 0
    assert warnings.escalate_late(warning.due_on + timedelta(days=1)) == 1
    warning.refresh_from_db()
    assert warning.escalation == 1
    county_day = add_working_days(warning.due_on, 5)
    assert warnings.escalate_late(county_day) == 0
    assert warnings.escalate_late(county_day + timedelta(days=1)) == 1
    warning.refresh_from_db()
    assert warning.escalation == 2


def test_verification_opens_an_application_the_window_sees(
        county_officer: Any, household: Any, village_worker: Any, clerk: Any) -> None:
    import_rows(county_officer, "medical", [bill(household)])
    warning = services.verify_warning(
        Actor.of(village_worker), EarlyWarning.objects.get(), Outcome.APPLICATION,
        {"kind": "temp_expenditure", "note": "住院自付7000元，家庭无力承担"})
    app = Application.objects.get(pk=warning.application_id)
    assert (app.kind, app.channel, app.applicant_id) == ("temp_expenditure", "village",
                                                         head(household).pk)
    assert app in intake_selectors.listing(clerk, "open")
    assert warning.status == WarningStatus.DONE and warning.open_key is None


def test_verification_refers_to_the_department(county_officer: Any, household: Any,
                                               village_worker: Any) -> None:
    import_rows(county_officer, "medical", [bill(household)])
    warning = services.verify_warning(
        Actor.of(village_worker), EarlyWarning.objects.get(), Outcome.REFERRAL,
        {"department": "health_insurance", "subject": "医疗救助", "note": "申请医疗救助"})
    assert Referral.objects.get(pk=warning.referral_id).department == "health_insurance"


def test_no_need_requires_reasons_and_closes_once(county_officer: Any, household: Any,
                                                  village_worker: Any) -> None:
    import_rows(county_officer, "medical", [bill(household)])
    warning = EarlyWarning.objects.get()
    with pytest.raises(ValidationError):
        services.verify_warning(Actor.of(village_worker), warning, Outcome.NO_NEED, {"note": ""})
    services.verify_warning(Actor.of(village_worker),
                            warning, Outcome.NO_NEED, {"note": "商业保险已报销"})
    with pytest.raises(ValidationError):
        services.verify_warning(Actor.of(village_worker),
                                warning, Outcome.NO_NEED, {"note": "再次核实"})


def test_a_failed_application_leaves_the_warning_open(county_officer: Any, household: Any,
                                                      village_worker: Any) -> None:
    import_rows(county_officer, "medical", [bill(household)])
    warning = EarlyWarning.objects.get()
    with pytest.raises(ValidationError):
        services.verify_warning(Actor.of(village_worker),
                                warning, Outcome.APPLICATION, {"kind": "x"})
    warning.refresh_from_db()
    assert warning.status == WarningStatus.OPEN and not Application.objects.exists()


def test_only_workers_of_the_village_verify(county_officer: Any, household: Any,
                                            county: Any) -> None:
    from safetynet.accounts.roles import Role
    from tests.conftest import VILLAGE_B

    import_rows(county_officer, "medical", [bill(household)])
    elsewhere = make_user("village_b", Role.VILLAGE, county[VILLAGE_B])
    with pytest.raises(PermissionDenied):
        services.verify_warning(Actor.of(elsewhere), EarlyWarning.objects.get(), Outcome.NO_NEED,
                                {"note": "无需救助的理由"})


def test_warnings_go_to_the_village_of_the_person(county_officer: Any, clerk: Any) -> None:
    from tests.conftest import VILLAGE_A2

    home = make_household(clerk, village=VILLAGE_A2)
    import_rows(county_officer, "medical", [bill(home)])
    assert EarlyWarning.objects.get().area_id == VILLAGE_A2
