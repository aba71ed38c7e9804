"""Home care in a real browser on a 375-px phone: the provider's worker records a visit;
the county's officer finds who got no visit in August and which provider failed them,
computes the provider's statement, and the county approver approves it (with TOTP)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from safetynet.accounts.roles import Role
from safetynet.core.actor import Actor
from safetynet.eldercare import services
from safetynet.eldercare.models import Statement, StatementStatus, Visit
from tests.browser.conftest import login
from tests.conftest import COUNTY, TOWN_A, make_household, make_user, new_id

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
AUGUST = date(2022, 8, 1)


def fits_the_phone(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= 375 + 1"))


@pytest.fixture
def setup(county: dict) -> dict[str, Any]:
    clerk = make_user("clerk_e", Role.CLERK, county[TOWN_A])
    officer = make_user("officer_e", Role.OFFICER, county[COUNTY])
    approver = make_user("approver_e", Role.APPROVER, county[COUNTY])
    worker = make_user("worker_e", Role.PROVIDER, county[COUNTY])
    provider = services.create_provider(Actor.of(officer), name="康乐居家养老服务中心",
                                        credit_code="52320722MJ1234567X")
    services.create_contract(Actor.of(officer), provider=provider, number="HT-1",
                             starts_on=date(2022, 1, 1), ends_on=date(2022, 12, 31),
                             area_codes=[TOWN_A], prices={"cleaning": "20", "meals": "10"})
    services.add_staff(Actor.of(officer), provider=provider, worker=worker)
    visited = make_household(clerk, name="王大爷", id_number=new_id(date(1940, 3, 5)))
    make_household(clerk, name="钱奶奶", id_number=new_id(date(1936, 6, 6)))
    services.generate_orders(Actor.of(officer), month=AUGUST)
    return {"officer": officer, "approver": approver, "worker": worker,
            "provider": provider, "visited": visited.members.get()}


def test_worker_records_county_checks_and_approves(live_server: Any, browser: Any,
                                                   setup: dict[str, Any]) -> None:
    base = live_server.url
    worker = login(browser, base, setup["worker"])
    worker.goto(f"{base}/eldercare/")
    worker.wait_for_url("**/eldercare/visits/")
    assert fits_the_phone(worker)
    worker.click("#orders a:text('王大爷')")
    worker.fill("#id_started_at", "2022-08-10T09:00")
    worker.fill("#id_ended_at", "2022-08-10T10:10")
    worker.fill("#id_item_cleaning", "1")
    worker.fill("#id_item_meals", "1")
    worker.select_option("#id_confirmation", "self")
    worker.fill("#id_notes", "打扫卫生，送午餐")
    worker.click("#visit-form button.primary")
    worker.wait_for_selector(".flash")
    assert "70" in worker.inner_text(".flash")
    visit = Visit.objects.get()
    assert (visit.minutes, visit.value, visit.order.person_id) == (70, 30, setup["visited"].pk)

    officer = login(browser, base, setup["officer"])
    officer.click("nav.modules a[href='/eldercare/']")
    officer.click("a[href*='show=no_visit']")  # “who got no visit in 2022-08”
    officer.wait_for_selector("#people")
    people = officer.inner_text("#people")
    assert "钱奶奶" in people and "康乐居家养老服务中心" in people and "王大爷" not in people
    assert "1" in officer.inner_text("#summary")
    assert fits_the_phone(officer)
    officer.goto(f"{base}/eldercare/statements/")
    officer.fill("#id_month", "2022-08")
    officer.select_option("#id_provider", str(setup["provider"].pk))
    officer.click("#statement-form button.primary")
    officer.wait_for_selector("#statement-facts")
    statement = Statement.objects.get()
    assert (statement.orders, statement.compliant, statement.amount) == (2, 1, 30)

    approver = login(browser, base, setup["approver"])
    approver.goto(f"{base}/eldercare/statements/{statement.pk}/")
    approver.click("#approve")
    approver.wait_for_selector(".flash")
    statement.refresh_from_db()
    assert statement.status == StatementStatus.APPROVED
    assert statement.approved_by == setup["approver"]
    for page in (worker, officer, approver):
        page.context.close()
