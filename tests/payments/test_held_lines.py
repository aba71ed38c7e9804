"""Lines without a benefit card account are held at the check: listed on the run page,
never sent to the bank, paid by a re-issue run once the account is recorded (issue #21)."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from safetynet.core.actor import Actor
from safetynet.payments import selectors, services
from safetynet.payments.models import LineStatus, PaymentLine, PayrollRun, RunKind, RunStatus
from safetynet.registry import services as registry
from tests.conftest import login_verified

NEW_ACCOUNT = "6217001111222232"


@pytest.fixture
def no_account(households: dict[str, Any]) -> Any:
    household = households["a2"]
    household.bank_account = ""
    household.save()
    return household


def csv_records(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def as_user(user: Any) -> Client:
    client = Client()
    login_verified(client, user)
    return client


def test_the_check_holds_lines_without_account_and_the_bank_file_leaves_them_out(
        finance, approver, enrolled, no_account):
    run, _ = services.run_payroll(Actor.of(finance), "dibao", "2022-09")
    services.check_run(Actor.of(finance), run)
    held = PaymentLine.objects.get(run=run, household=no_account)
    assert held.status == LineStatus.HELD
    assert PaymentLine.objects.filter(run=run, status=LineStatus.PENDING).count() == 2
    services.approve_run(Actor.of(approver), run)
    _file, content = services.export_run(Actor.of(finance), run, "csv")
    records = csv_records(content)
    details = [r for r in records if r[0] == "D"]
    assert len(details) == 2 and all(r[3] for r in details)  # never an empty account
    assert held.reference not in {r[1] for r in details}
    sent = run.total - held.amount
    assert records[0][5:] == ["2", f"{sent:.2f}"] and records[-1] == ["T", "2", f"{sent:.2f}"]
    run.refresh_from_db()
    assert (run.lines, run.total) == (3, held.amount + sent)  # the control totals stay whole


def test_a_return_file_closes_the_run_and_the_held_line_is_paid_by_a_reissue(
        finance, approver, clerk, enrolled, no_account):
    run, _ = services.run_payroll(Actor.of(finance), "dibao", "2022-09")
    services.approve_run(Actor.of(approver), run)
    services.export_run(Actor.of(finance), run, "csv")
    sent = PaymentLine.objects.filter(run=run, status=LineStatus.PENDING)
    rows = ["reference,result,reason,bank_reference"] + [f"{line.reference},paid,,B{line.pk}"
                                                          for line in sent]
    services.import_return(Actor.of(finance), run, ("\n".join(rows) + "\n").encode(), "ret.csv")
    run.refresh_from_db()
    assert run.status == RunStatus.CLOSED
    assert selectors.held_lines(finance, run)[1] == 1
    # not re-issuable before the account is recorded
    assert services.reissuable(run) == []
    with pytest.raises(ValidationError):
        services.reissue_failed(Actor.of(finance), run)
    registry.update_household(Actor.of(clerk), no_account, {"bank_account": NEW_ACCOUNT})
    again = services.reissue_failed(Actor.of(finance), run)
    line = PaymentLine.objects.get(run=again)
    assert again.kind == RunKind.REISSUE and line.bank_account == NEW_ACCOUNT
    assert line.original.household_id == no_account.pk and line.status == LineStatus.PENDING
    assert selectors.held_lines(finance, run) == ([], 0)  # resolved: no longer listed


def test_approval_is_refused_when_every_line_is_held(finance, approver, enrolled,
                                                     households):
    for household in households.values():
        household.bank_account = ""
        household.save()
    run, _ = services.run_payroll(Actor.of(finance), "dibao", "2022-09")
    with pytest.raises(ValidationError) as exc:
        services.approve_run(Actor.of(approver), run)
    assert "暂缓发放" in str(exc.value)
    assert PayrollRun.objects.get(pk=run.pk).status == RunStatus.PREPARED


def test_the_run_page_lists_held_lines_masked_and_the_warning_goes_once_resolved(
        finance, approver, clerk, enrolled, no_account):
    fin, appr = as_user(finance), as_user(approver)
    run, _ = services.run_payroll(Actor.of(finance), "dibao", "2022-09")
    url = reverse("payments:run", args=[run.pk])
    with translation.override("zh-hans"):
        page = fin.get(url).content.decode()
        assert 'id="no-account-warning"' in page and "1 条明细没有银行账号" in page
        assert fin.post(reverse("payments:check", args=[run.pk])).status_code == 302
        page = fin.get(url).content.decode()
        head = no_account.members.get(relation="head").name
        assert 'id="held-lines"' in page and no_account.number in page
        assert head not in page and head[0] + "*" in page  # the payee, masked
        assert no_account.area.name in page
        assert "这个字段是必填项" not in page  # the reject form is not bound by the check
        assert "暂缓发放" in page and ": held" not in page and ": pending" not in page
        appr.post(reverse("payments:approve", args=[run.pk]))
        page = appr.get(url).content.decode()  # the approver's message, and nothing else
        assert "这个字段是必填项" not in page and "审批通过：现在可以导出银行文件" in page
        registry.update_household(Actor.of(clerk), no_account, {"bank_account": NEW_ACCOUNT})
        assert fin.post(reverse("payments:reissue", args=[run.pk]), {}).status_code == 302
        page = fin.get(url).content.decode()
    assert 'id="no-account-warning"' not in page and 'id="held-lines"' not in page


def test_an_old_stored_no_account_warning_is_not_shown(finance, enrolled):
    run, _ = services.run_payroll(Actor.of(finance), "dibao", "2022-09")
    run.warnings = [{"code": "no_account", "count": 364}]
    run.save()
    page = as_user(finance).get(reverse("payments:run", args=[run.pk])).content.decode()
    assert "364" not in page


def test_line_counts_are_labelled_in_the_readers_language(finance, enrolled):
    run, _ = services.run_payroll(Actor.of(finance), "dibao", "2022-09")
    with translation.override("zh-hans"):
        rows = selectors.status_rows(selectors.status_counts(run))
    assert rows == [("待银行回盘", 3)]
    with translation.override("en"):
        assert selectors.status_rows({"paid": 2, "failed": 1}) == [("Paid", 2), ("Failed", 1)]


def test_months_never_run_are_listed_per_programme(finance, enrolled):
    services.run_payroll(Actor.of(finance), "dibao", "2022-09")
    services.run_payroll(Actor.of(finance), "dibao", "2022-12")
    rejected, _ = services.run_payroll(Actor.of(finance), "dibao", "2023-02")
    services.reject_run(Actor.of(finance), rejected, "金额有误")
    missing = selectors.missing_months(date(2023, 3, 20))
    assert [(m.program, m.ranges, m.count) for m in missing] == [
        ("dibao", [("2022-10", "2022-11", 2), ("2023-01", "2023-03", 3)], 5)]
    assert selectors.gaps(date(2022, 1, 1), date(2022, 10, 1), {date(2022, 4, 1)}, 3) == [
        (date(2022, 1, 1), date(2022, 1, 1), 1), (date(2022, 7, 1), date(2022, 10, 1), 2)]
    page = as_user(finance).get(reverse("payments:home")).content.decode()
    assert 'id="missing-months"' in page and "2022-10" in page
