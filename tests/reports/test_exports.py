"""The summary as XLSX and PDF: Chinese headers, the right numbers, audited downloads."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any
from urllib.parse import quote

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from safetynet.accounts.models import User
from safetynet.core.models import AuditEvent
from safetynet.reports import exports
from safetynet.reports import summary as s
from safetynet.reports.query import ReportQuery
from tests.conftest import COUNTY, client_for
from tests.reports.test_summary import JAN, MAR, build_payments

PARAMS = {"from": "2022-01", "to": "2022-03", "area": COUNTY}
NAME_END = "_320722_2022-01_2022-03."


@pytest.fixture
def payments(clerk: User, clerk_b: User, paid_line: Any) -> Any:
    return build_payments(clerk, clerk_b, paid_line)


def test_xlsx_has_chinese_headers_and_the_figures(payments: Any) -> None:
    with translation.override("zh-hans"):
        report = s.summary(ReportQuery(JAN, MAR, COUNTY), None)
        content = exports.xlsx(report)
        headers = exports.program_headers()
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert "东海县" in sheet["A1"].value and "2022-01" in sheet["A1"].value
    assert [c.value for c in sheet[2]] == headers
    assert sheet["B2"].font.bold and sheet.freeze_panes == "B3"
    rows = {r[0]: r[1:] for r in sheet.iter_rows(min_row=3, max_row=2 + len(report.programs),
                                                 values_only=True)}
    for program in report.programs:
        households, persons, wan, yuan = rows[program.label]
        assert (households, persons) == (program.households, program.persons)
        assert Decimal(str(yuan)) == program.amount
        assert Decimal(str(wan)) == program.wan
    assert sheet["D3"].number_format == "0.0000" and sheet["B3"].number_format == "#,##0"
    assert sheet.column_dimensions["A"].width > 30


def test_headers_are_chinese_once_translated() -> None:
    with translation.override("zh-hans"):
        headers = exports.program_headers()
    assert headers == ["项目", "户数", "人数", "金额（万元）", "金额（元）"]


def test_pdf(payments: Any) -> None:
    content = exports.pdf(s.summary(ReportQuery(JAN, MAR, COUNTY), None))
    assert content.startswith(b"%PDF")


@pytest.mark.parametrize("fmt, magic", [("xlsx", b"PK"), ("pdf", b"%PDF")])
def test_download_is_named_and_audited(payments: Any, approver: User, fmt: str,
                                       magic: bytes) -> None:
    response = client_for(approver).get(reverse("reports:export", args=[fmt]), PARAMS)
    assert response.status_code == 200 and response.content.startswith(magic)
    name = exports.name_for(COUNTY, "2022-01", "2022-03", fmt)
    assert name.endswith(NAME_END + fmt)
    assert f"filename*=UTF-8''{quote(name)}" in response["Content-Disposition"]
    event = AuditEvent.objects.filter(action="report_export").get()
    assert event.username == approver.username and event.detail["format"] == fmt


def test_unknown_format_and_bad_month(approver: User) -> None:
    client = client_for(approver)
    assert client.get(reverse("reports:export", args=["doc"]), PARAMS).status_code == 404
    bad = client.get(reverse("reports:export", args=["xlsx"]), {**PARAMS, "to": "2022-99"})
    assert bad.status_code == 400
    assert not AuditEvent.objects.filter(action="report_export").exists()
