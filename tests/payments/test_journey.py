"""The finance officer's month, through the web UI: prepare September 2022 dibao, the
county approver approves, the bank file goes out, the return has three failed lines, the
township corrects one account and the finance officer re-issues that one line."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from safetynet.benefits import services as benefits
from safetynet.core.actor import Actor
from safetynet.payments.models import LineStatus, PaymentLine, PayrollRun, RunStatus
from tests.benefits.conftest import APPROVED, dibao_household
from tests.conftest import VILLAGE_B, login_verified


@pytest.fixture
def county_payroll(approver, clerk, clerk_b) -> list[Any]:
    homes = [dibao_household(clerk), dibao_household(clerk, income=400),
             dibao_household(clerk, income=500), dibao_household(clerk_b, VILLAGE_B),
             dibao_household(clerk_b, VILLAGE_B, income=200)]
    for home in homes:
        benefits.enrol(Actor.of(approver), program="dibao", household=home, person=None,
                       approved_on=APPROVED)
    return homes


def as_user(user: Any) -> Client:
    client = Client()
    login_verified(client, user)
    return client


def test_september_dibao_from_preparation_to_reissue(finance, approver, clerk,
                                                      county_payroll):
    fin, appr = as_user(finance), as_user(approver)
    home = fin.get(reverse("payments:home"))
    assert home.status_code == 200 and 'name="period"' in home.content.decode()

    # 1. the finance officer prepares the payroll (queued; the test backend runs it at once)
    with_commit = fin.post(reverse("payments:home"), {"program": "dibao", "period": "2022-09"})
    run = PayrollRun.objects.get()
    assert with_commit.status_code == 302 and with_commit.url == reverse("payments:run",
                                                                          args=[run.pk])
    if run.status == RunStatus.PREPARING:  # on_commit does not fire inside a test case
        from safetynet.payments.services import prepare

        prepare(run.pk)
    page = fin.get(reverse("payments:run", args=[run.pk])).content.decode()
    assert f"payments/runs/{run.pk}/check/" in page
    assert fin.post(reverse("payments:check", args=[run.pk])).status_code == 302
    # the preparer sees no approve button and cannot approve
    assert "/approve/" not in fin.get(reverse("payments:run", args=[run.pk])).content.decode()
    fin.post(reverse("payments:approve", args=[run.pk]))
    assert PayrollRun.objects.get().status == RunStatus.CHECKED

    # 2. the county approver approves (TOTP-verified session)
    assert appr.post(reverse("payments:approve", args=[run.pk])).status_code == 302
    run.refresh_from_db()
    assert run.status == RunStatus.APPROVED and run.approved_by == approver

    # 3. the bank file
    response = fin.post(reverse("payments:export", args=[run.pk]), {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="SN-dibao-202209')
    records = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    lines = [r for r in records if r[0] == "D"]
    assert len(lines) == 5 and records[-1] == ["T", "5", f"{run.total:.2f}"]

    # 4. the bank's return: three failed
    failed = [r[1] for r in lines[:3]]
    rows = ["reference,result,reason,bank_reference"] + [
        f"{r[1]},{'failed' if r[1] in failed else 'paid'},"
        f"{'账户不存在' if r[1] in failed else ''},B{i}" for i, r in enumerate(lines)]
    upload = io.BytesIO(("\n".join(rows) + "\n").encode())
    upload.name = "return-202209.csv"
    assert fin.post(reverse("payments:return", args=[run.pk]), {"file": upload}).status_code \
        == 302
    assert PaymentLine.objects.filter(status=LineStatus.FAILED).count() == 3
    page = fin.get(reverse("payments:run", args=[run.pk])).content.decode()
    assert "账户不存在" in page and "/reissue/" in page

    # 5. the township clerk corrects one household's account in the registry
    first = PaymentLine.objects.filter(status=LineStatus.FAILED).order_by("pk").first()
    household = first.household
    clerk_client = Client()
    clerk_client.force_login(clerk)
    edit = clerk_client.post(reverse("registry:household_edit", args=[household.pk]), {
        "hukou": household.hukou, "address": household.address, "phone": "",
        "bank_name": "东海农商银行", "bank_account": "6217001111222232",
        "area_code": household.area_id})
    assert edit.status_code == 302, edit.content.decode()[:3000]

    # 6. the finance officer re-issues: only that line
    response = fin.post(reverse("payments:reissue", args=[run.pk]), {})
    again = PayrollRun.objects.exclude(pk=run.pk).get()
    assert response.url == reverse("payments:run", args=[again.pk])
    line = PaymentLine.objects.get(run=again)
    assert line.original == first and line.bank_account == "6217001111222232"
    assert (again.lines, again.total) == (1, first.amount)
    # and it goes through approval again before its file leaves
    appr.post(reverse("payments:approve", args=[again.pk]))
    assert fin.post(reverse("payments:export", args=[again.pk]),
                    {"format": "xlsx"}).status_code == 200

    # fund statistics match the paid lines
    stats = fin.get(reverse("payments:stats"), {"year": 2022}).content.decode()
    assert "2022-09" in stats


def test_pages_need_the_role(clerk, county_payroll):
    client = Client()
    client.force_login(clerk)
    assert client.get(reverse("payments:home")).status_code == 403
    assert client.get(reverse("benefits:home")).status_code == 200
