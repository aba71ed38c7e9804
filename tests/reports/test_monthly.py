"""Monthly reports: made once per month and area, caught up after a gap, listed and
downloaded inside the jurisdiction."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from safetynet.accounts.models import User
from safetynet.reports import monthly
from safetynet.reports.models import MonthlyReport
from tests.conftest import COUNTY, TOWN_A, TOWN_B, client_for
from tests.reports.test_summary import FEB, build_payments


@pytest.fixture
def payments(clerk: User, clerk_b: User, paid_line: Any) -> Any:
    return build_payments(clerk, clerk_b, paid_line)


def test_generate_is_idempotent(payments: Any) -> None:
    first = monthly.generate(FEB)
    again = monthly.generate(date(2022, 2, 15))
    assert again.pk == first.pk and again.generated_at == first.generated_at
    assert MonthlyReport.objects.count() == 1
    forced = monthly.generate(FEB, force=True)
    assert forced.pk == first.pk and forced.generated_at > first.generated_at
    assert bytes(forced.pdf).startswith(b"%PDF") and bytes(forced.xlsx).startswith(b"PK")
    assert forced.summary["from"] == forced.summary["to"] == "2022-02"
    rows = {r["program"]: r for r in forced.summary["programs"]}
    assert rows["tekun"]["persons"] == 2 and rows["dibao_rural"]["households"] == 1


def test_catch_up_fills_the_missing_months_once(payments: Any) -> None:
    made = monthly.catch_up(date(2022, 5, 1))  # first paid line: 2021-12
    months = sorted({r.month for r in made})
    assert months == [date(2021, 12, 1), date(2022, 1, 1), date(2022, 2, 1),
                      date(2022, 3, 1), date(2022, 4, 1)]
    assert {r.area_id for r in made} == {COUNTY, TOWN_A, TOWN_B}
    assert monthly.catch_up(date(2022, 5, 20)) == []
    assert [r.month for r in monthly.catch_up(date(2022, 6, 1))] == [date(2022, 5, 1)] * 3


def test_nothing_to_do_without_payments(county: Any) -> None:
    assert monthly.catch_up(date(2022, 5, 1)) == []


def test_list_and_download_inside_the_jurisdiction(payments: Any, clerk_b: User,
                                                   approver: User) -> None:
    monthly.generate_all(FEB)
    listed = client_for(clerk_b).get(reverse("reports:monthly"))
    assert [r.area_id for r in listed.context["page"]] == [TOWN_B]
    assert len(client_for(approver).get(reverse("reports:monthly")).context["page"]) == 3
    town_a = MonthlyReport.objects.get(area_id=TOWN_A)
    url = reverse("reports:monthly_download", args=[town_a.pk, "pdf"])
    assert client_for(clerk_b).get(url).status_code == 404
    response = client_for(approver).get(url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert "320722100_2022-02_2022-02.pdf" in response["Content-Disposition"]
    assert client_for(approver).get(
        reverse("reports:monthly_download", args=[town_a.pk, "doc"])).status_code == 404
