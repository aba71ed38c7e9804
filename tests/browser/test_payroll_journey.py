"""Issue #21 on a phone: a first-time clerk and the finance office walk the dibao journey —
the household's benefit card account (refused when it fails the Luhn check), the village
picker narrowed by typing, the incomes page in Chinese, removing an income with a reason
(kept in the history), then the payroll run with a household lacking an account: the
held list, check and approval without stray form errors, Chinese line counts, and the
held line re-issued once the account is recorded."""

from __future__ import annotations

from typing import Any

import pytest

from safetynet.benefits import services as benefits
from safetynet.core.actor import Actor
from safetynet.payments import services as payroll
from safetynet.payments.models import LineStatus, PaymentLine
from safetynet.registry.models import IncomeItem
from tests.benefits.conftest import (
    APPROVED,
    dibao_household,
    finance,  # noqa: F401  (fixture)
)
from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BAD_ACCOUNT = "6228480012345678"
GOOD_ACCOUNT = "6228 4800 1234 5671"


def test_clerk_and_finance_walk_the_dibao_journey(live_server: Any, browser: Any, clerk: Any,
                                                  approver: Any, finance: Any) -> None:  # noqa: F811
    base = live_server.url
    home = dibao_household(clerk)
    home.bank_account = ""
    home.save()
    other = dibao_household(clerk, income=400)
    for household in (home, other):
        benefits.enrol(Actor.of(approver), program="dibao", household=household, person=None,
                       approved_on=APPROVED)
    head = home.members.get(relation="head")
    income = head.incomes.first() or IncomeItem.objects.create(person=head, kind="wages",
                                                                monthly_amount="300")

    # the clerk: edit the household, narrow the village picker, an invalid account refused
    page = login(browser, base, clerk)
    page.goto(f"{base}/registry/households/{home.pk}/edit/")
    options = page.locator("#id_area_code option")
    assert options.count() == 2
    page.fill("#id_area_code_filter", "城东")
    assert options.count() == 1 and "城东社区" in options.first.inner_text()
    assert "找到 1 个" in page.locator("#id_area_code_filter_status").inner_text()
    page.fill("#id_area_code_filter", "东村")
    assert options.count() == 1 and page.input_value("#id_area_code") == home.area_id
    page.fill("#id_bank_name", "东海农商银行")
    page.fill("#id_bank_account", BAD_ACCOUNT)
    page.click("main button.primary")
    error = page.locator(".field.invalid .error")
    error.wait_for()
    assert "一卡通账号" in error.inner_text() and "校验位" in error.inner_text()
    home.refresh_from_db()
    assert home.bank_account == ""

    # the incomes page: Chinese labels; removing an income asks for a reason
    page.goto(f"{base}/registry/households/{home.pk}/means/")
    content = page.content()
    assert "月金额（元）" in content and "价值（元）" in content
    assert "Monthly amount" not in content and "Value *" not in page.inner_text("main")
    page.locator(f"a[href$='/means/income/{income.pk}/remove/']").click()
    page.wait_for_url(f"**/means/income/{income.pk}/remove/")
    assert "确定删除这一项吗" in page.content()
    page.click("#remove-item button.primary")  # no reason: the browser refuses to send
    assert IncomeItem.objects.filter(pk=income.pk).exists()
    page.fill("#id_reason", "录入错误")
    page.click("#remove-item button.primary")
    page.wait_for_url(f"**/households/{home.pk}/means/")
    assert not IncomeItem.objects.filter(pk=income.pk).exists()
    page.goto(f"{base}/registry/households/{home.pk}/")
    history = page.inner_text("ol.history")
    assert "录入错误" in history and "收入项" in history and "index" not in history.lower()

    # the finance office: the run holds the line without an account
    run, _ = payroll.run_payroll(Actor.of(finance), "dibao", "2022-09")
    fin = login(browser, base, finance)
    fin.goto(f"{base}/payments/runs/{run.pk}/")
    assert "1 条明细没有银行账号" in fin.inner_text("#no-account-warning")
    fin.click("button:has-text('按控制数核对')")
    fin.wait_for_load_state()
    text = fin.inner_text("main")
    assert "这个字段是必填项" not in text
    assert "暂缓发放" in text and "pending" not in text and "held" not in text
    held = fin.inner_text("#held-lines")
    assert home.number in held and head.name not in held and head.name[0] + "*" in held
    assert PaymentLine.objects.get(run=run, household=home).status == LineStatus.HELD

    appr = login(browser, base, approver)
    appr.goto(f"{base}/payments/runs/{run.pk}/")
    appr.click("button:has-text('审批通过')")
    appr.wait_for_load_state()
    assert "这个字段是必填项" not in appr.inner_text("main")
    assert "审批通过：现在可以导出银行文件" in appr.inner_text("main")

    # the clerk records the account; the finance officer re-issues the held line
    page.goto(f"{base}/registry/households/{home.pk}/edit/")
    page.fill("#id_bank_account", GOOD_ACCOUNT)
    page.click("main button.primary")
    page.wait_for_url(f"**/households/{home.pk}/")
    fin.goto(f"{base}/payments/runs/{run.pk}/")
    assert "是：可以重发" in fin.inner_text("#held-lines")
    fin.click("form[action$='/reissue/'] button.primary")
    fin.wait_for_url("**/payments/runs/*/")
    again = PaymentLine.objects.get(original__run=run)
    assert again.bank_account == GOOD_ACCOUNT.replace(" ", "")
    fin.goto(f"{base}/payments/runs/{run.pk}/")
    assert fin.locator("#no-account-warning").count() == 0
    assert fin.locator("#held-lines").count() == 0

    # the run list names the months never run
    fin.goto(f"{base}/payments/")
    assert "未发放的月份" in fin.inner_text("#missing-months")
