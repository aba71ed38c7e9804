"""Active discovery in a real browser: the county imports a hospital file, a warning is
raised for a household, the village worker verifies it on a 375-px phone and turns it
into a temporary-assistance application, which the township window then sees."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from safetynet.accounts.models import User
from safetynet.accounts.roles import Role
from safetynet.discovery import matching
from safetynet.discovery.models import EarlyWarning
from safetynet.discovery.sources import layout
from safetynet.intake.models import Application
from safetynet.registry.models import IncomeItem
from tests.browser.conftest import login
from tests.conftest import COUNTY, TOWN_A, VILLAGE_A, make_household, make_user, new_id

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def staff(county: dict) -> dict[str, User]:
    return {"clerk": make_user("clerk_d", Role.CLERK, county[TOWN_A]),
            "approver": make_user("approver_d", Role.APPROVER, county[COUNTY]),
            "village": make_user("village_d", Role.VILLAGE, county[VILLAGE_A])}


def hospital_file(tmp_path: Path, id_number: str) -> Path:
    buffer = io.StringIO()
    matching.write_csv_layout(layout("medical"), [
        {"id_number": id_number, "name": "周桂兰", "settled_on": "2022-08-12",
         "total_cost": "61200", "out_of_pocket": "34600.50", "hospital": "东海县人民医院",
         "diagnosis": "脑梗死"},
        {"id_number": "11010519491231002X", "name": "外地患者", "settled_on": "2022-08-13",
         "out_of_pocket": "800"}], buffer)
    path = tmp_path / "医保局-8月住院结算.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def test_hospital_file_to_application_at_the_window(live_server: Any, browser: Any,
                                                    staff: dict[str, User],
                                                    tmp_path: Path, settings: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    household = make_household(staff["clerk"], name="周桂兰", members=1,
                               id_number=new_id(date(1968, 6, 6), male=False))
    patient = household.members.get(relation="head")
    IncomeItem.objects.create(person=patient, kind="wages", monthly_amount=1800)
    base = live_server.url

    county = login(browser, base, staff["approver"])
    county.goto(f"{base}/discovery/imports/")
    county.select_option("#id_source", "medical")
    county.set_input_files("#id_file", str(hospital_file(tmp_path, patient.id_number or "")))
    county.click("form.card button.primary")
    county.wait_for_url("**/discovery/imports/*/")
    assert "110105********002X" in county.content()  # the unmatched row, masked
    warning = EarlyWarning.objects.get()
    assert warning.household_id == household.pk

    phone = login(browser, base, staff["village"])
    phone.goto(f"{base}/discovery/")
    phone.click(f"a[href$='/discovery/warnings/{warning.pk}/']")
    assert "34600.50" in phone.content()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the warning page is {width}px wide on a 375-px phone"
    phone.check("input[name=outcome][value=application]")
    phone.select_option("#id_kind", "temp_expenditure")
    phone.fill("#id_note", "入户核实：脑梗死住院，自付3.46万元，家庭无力承担")
    phone.click("#verify button.primary")
    phone.wait_for_selector(".flash")
    application = Application.objects.get()
    assert (application.kind, application.channel) == ("temp_expenditure", "village")

    window = login(browser, base, staff["clerk"])
    window.goto(f"{base}/intake/?show=open")
    assert application.number in window.content()
    window.click(f"a[href$='/intake/{application.pk}/']")
    assert "脑梗死住院" in window.content()
