"""The screens: the worker's phone pages, the county's compliance and statements, the
assessment form, and the other programme pages (each renders, in scope, with errors)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safetynet.accounts.models import User
from safetynet.accounts.roles import Role
from safetynet.core.actor import Actor
from safetynet.eldercare import institutions, insurance, services
from safetynet.eldercare.ability import full_marks
from safetynet.eldercare.models import (
    ModificationPlan,
    Provider,
    ServiceOrder,
    Statement,
    StatementStatus,
    Visit,
)
from safetynet.eldercare.panels import eldercare_panel
from safetynet.registry import services as registry
from safetynet.registry.models import Person
from tests.conftest import COUNTY, TOWN_A, TOWN_B, client_for, make_user, new_id
from tests.eldercare.conftest import AUGUST, at, elderly, record


def test_worker_sees_the_months_orders_and_records_a_visit(worker: User,
                                                           order: ServiceOrder) -> None:
    client = client_for(worker)
    home = client.get(reverse("eldercare:home"))
    assert home.status_code == 302 and home.url == reverse("eldercare:visits")
    listing = client.get(reverse("eldercare:visits"))
    assert "王大爷" in listing.content.decode()
    page = client.get(reverse("eldercare:order", args=[order.pk]))
    assert page.status_code == 200 and 'id="visit-form"' in page.content.decode()
    response = client.post(reverse("eldercare:order", args=[order.pk]), {
        "started_at": "2022-08-10T09:00", "ended_at": "2022-08-10T10:05", "item_cleaning": "1",
        "item_meals": "1", "confirmation": "family", "confirmer_name": "王小明", "notes": "打扫"})
    assert response.status_code == 302
    visit = Visit.objects.get()
    assert (visit.minutes, visit.value, visit.confirmer_name) == (65, 30, "王小明")


def test_a_bad_visit_shows_the_error_and_saves_nothing(worker: User,
                                                       order: ServiceOrder) -> None:
    response = client_for(worker).post(reverse("eldercare:order", args=[order.pk]), {
        "started_at": "2022-08-10T09:00", "ended_at": "2022-08-10T10:05",
        "confirmation": "self", "confirmer_name": "王大爷"})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert not Visit.objects.exists()


def test_another_providers_worker_gets_404(county: dict, officer: User,
                                           order: ServiceOrder) -> None:
    other = services.create_provider(Actor.of(officer),
                                     name="别家", credit_code="52320722MJ7654321X")
    stranger = make_user("worker_o", Role.PROVIDER, county[COUNTY])
    services.add_staff(Actor.of(officer), provider=other, worker=stranger)
    assert client_for(stranger).get(
        reverse("eldercare:order", args=[order.pk])).status_code == 404


def test_county_sees_who_got_no_visit_and_which_provider(officer: User, worker: User,
                                                         clerk: User, order: ServiceOrder,
                                                         provider: Provider) -> None:
    neighbour = elderly(clerk, "钱奶奶", date(1936, 6, 6))
    services.generate_orders(Actor.of(officer), month=AUGUST)
    record(worker, order, at(3))
    response = client_for(officer).get(reverse("eldercare:compliance"),
                                       {"month": "2022-08", "show": "no_visit"})
    text = response.content.decode()
    assert response.status_code == 200
    assert neighbour.name in text and provider.name in text
    assert "王大爷" not in text.split('id="people"')[1]
    export = client_for(officer).get(reverse("eldercare:compliance"),
                                     {"month": "2022-08", "format": "xlsx"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_township_officer_of_another_township_sees_nobody(county: dict,
                                                          order: ServiceOrder) -> None:
    other = make_user("ec_b", Role.OFFICER, county[TOWN_B])
    response = client_for(other).get(reverse("eldercare:compliance"), {"month": "2022-08"})
    assert "王大爷" not in response.content.decode()
    assert client_for(other).get(reverse("eldercare:order", args=[order.pk])).status_code == 404


def test_compute_and_approve_a_statement_on_screen(officer: User, approver: User,
                                                   worker: User, order: ServiceOrder,
                                                   provider: Provider) -> None:
    record(worker, order, at(3))
    response = client_for(officer).post(reverse("eldercare:statements"),
                                        {"month": "2022-08", "provider": provider.pk})
    statement = Statement.objects.get()
    assert response.url == reverse("eldercare:statement", args=[statement.pk])
    approver_client = client_for(approver)
    page = approver_client.get(response.url).content.decode()
    assert 'id="approve"' in page and "30.00" in page
    approver_client.post(response.url)
    statement.refresh_from_db()
    assert statement.status == StatementStatus.APPROVED
    export = approver_client.get(response.url, {"format": "xlsx"})
    assert export.status_code == 200


def test_assessment_form_computes_the_grade(clerk: User, old_man: Person) -> None:
    client = client_for(clerk)
    assert client.get(reverse("eldercare:assess", args=[old_man.pk])).status_code == 200
    data: dict[str, Any] = {k: str(v) for k, v in full_marks().items()}
    data.update({"assessed_on": "2022-07-01", "risk_events": "2", "bathing": "0"})
    response = client.post(reverse("eldercare:assess", args=[old_man.pk]), data)
    assert response.status_code == 302
    old_man.refresh_from_db()
    assert old_man.ability_grade == 2  # 86 is mild; two falls make it moderate
    history = client.get(reverse("eldercare:assessments", args=[old_man.pk])).content.decode()
    assert "86" in history
    household = client.get(reverse("registry:household", args=[old_man.household_id]))
    assert 'id="eldercare-panel"' in household.content.decode()


def test_missing_item_is_named_on_the_form(clerk: User, old_man: Person) -> None:
    data = {k: str(v) for k, v in full_marks().items() if k != "memory"}
    response = client_for(clerk).post(reverse("eldercare:assess", args=[old_man.pk]),
                                      {**data, "assessed_on": "2022-07-01", "risk_events": "0"})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()


def test_institution_modification_and_insurance_pages(officer: User, clerk: User,
                                                      old_man: Person) -> None:
    home = institutions.create_institution(Actor.of(officer),
                                           name="牛山镇区域养老中心", kind="regional",
                                           area_code="320722100", beds={"nursing": 10},
                                           reserved_beds=4)
    institutions.admit(Actor.of(officer), home, old_man, kind="social", bed_type="nursing",
                       admitted_on=date(2022, 8, 1))
    policy = insurance.create_policy(Actor.of(officer),
                                     kind="liability", insurer="人保财险东海支公司",
                                     number="PL-2022-1", starts_on=date(2022, 1, 1),
                                     ends_on=date(2022, 12, 31), premium="100",
                                     area_code=COUNTY)
    insurance.fill_roster(Actor.of(officer), policy, on=date(2022, 1, 1))
    client = client_for(officer)
    for name, args in [("home", []), ("institutions", []), ("institution", [home.pk]),
                       ("modifications", []), ("policies", []), ("policy", [policy.pk]),
                       ("providers", []), ("statements", []), ("due", []),
                       ("new_orders", []), ("new_plan", [old_man.household_id])]:
        response = client.get(reverse(f"eldercare:{name}", args=args))
        assert response.status_code == 200, name
    assert "王大爷" in client.get(reverse("eldercare:institution", args=[home.pk])).content.decode()
    roster = client.get(reverse("eldercare:policy", args=[policy.pk]), {"format": "xlsx"})
    assert roster.status_code == 200
    assert not ModificationPlan.objects.exists()


def test_pages_need_a_staff_role(county: dict) -> None:
    nobody = make_user("sys", Role.SYSADMIN, county[COUNTY])
    client = client_for(nobody)
    assert client.get(reverse("eldercare:compliance")).status_code == 403


@pytest.mark.parametrize("name", ["home", "compliance", "statements"])
def test_leader_reads(county: dict, name: str) -> None:
    leader = make_user("boss", Role.LEADER, county[COUNTY])
    assert client_for(leader).get(reverse(f"eldercare:{name}")).status_code == 200


def test_household_panel_queries_do_not_grow_with_the_elderly_members(
        clerk: User, officer: User, contract: Any, old_man: Person) -> None:
    """The latest assessment and order of every member aged 60+ in two queries (no N+1)."""
    lone = elderly(clerk, "李奶奶")
    for n in range(2):
        registry.add_person(Actor.of(clerk), old_man.household, {
            "name": f"王家老人{n}", "sex": "F", "relation": "spouse" if n == 0 else "other",
            "birth_date": date(1938, 4, 1 + n), "id_number": new_id(date(1938, 4, 1 + n),
                                                                    male=False)})
    services.generate_orders(Actor.of(officer), month=AUGUST, area_code=TOWN_A)
    counts = []
    for household in (lone.household, old_man.household):
        with CaptureQueriesContext(connection) as queries:
            panel = eldercare_panel(clerk, household)
        counts.append(len(queries))
        assert panel is not None
        rows = panel.context["elderly"]
        assert all(order is not None and order.month == AUGUST for _p, _a, order in rows)
    assert len(panel.context["elderly"]) == 3
    assert counts[0] == counts[1]
