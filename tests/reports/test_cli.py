"""`safetynet report summary` and `safetynet report monthly`."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from safetynet.accounts.models import User
from safetynet.reports import exports
from safetynet.reports.lines import PAYMENT_FIGURES
from safetynet.reports.models import MonthlyReport
from tests.conftest import TOWN_A
from tests.reports.test_summary import build_payments


@pytest.fixture
def payments(clerk: User, clerk_b: User, paid_line: Any) -> Any:
    return build_payments(clerk, clerk_b, paid_line)


def run(*args: str) -> str:
    out = StringIO()
    call_command("report", *args, stdout=out)
    return out.getvalue()


def test_summary_json_on_stdout(payments: Any) -> None:
    data = json.loads(run("summary", "--from", "2022-01", "--to", "2022-03"))
    assert (data["from"], data["to"], data["area"]) == ("2022-01", "2022-03", "320722")
    assert [p["program"] for p in data["programs"]] == [f.key for f in PAYMENT_FIGURES]
    assert data["programs"][0] == {"program": "dibao_rural", "households": 2, "persons": 5,
                                   "amount_yuan": "3400.00"}
    assert {"service", "value", "base"} <= set(data["services"][0])


def test_summary_of_a_township(payments: Any) -> None:
    data = json.loads(run("summary", "--from", "2022-01", "--to", "2022-03", "--area", TOWN_A))
    assert data["area"] == TOWN_A
    assert {p["program"]: p for p in data["programs"]}["dibao_rural"]["households"] == 1


@pytest.mark.parametrize("fmt, magic", [("xlsx", b"PK"), ("pdf", b"%PDF")])
def test_files(payments: Any, tmp_path: Path, fmt: str, magic: bytes,
               monkeypatch: Any) -> None:
    out = tmp_path / f"r.{fmt}"
    assert run("summary", "--from", "2022-01", "--to", "2022-03", "--format", fmt,
               "--out", str(out)).strip() == str(out)
    assert out.read_bytes().startswith(magic)
    monkeypatch.chdir(tmp_path)
    printed = run("summary", "--from", "2022-01", "--to", "2022-02", "--format", fmt).strip()
    with translation.override("zh-hans"):
        assert printed.endswith(exports.name_for("320722", "2022-01", "2022-02", fmt))
    assert Path(printed).exists()


@pytest.mark.parametrize("args, message", [
    (("--from", "2022-13", "--to", "2022-03"), "2022-13"),
    (("--from", "2022-05", "--to", "2022-03"), "2022-05.*2022-03"),
    (("--from", "2022-01", "--to", "2022-03", "--area", "320722999"), "320722999"),
    (("--from", "2022-01", "--to", "2022-03", "--area", "110105"), "110105"),
])
def test_errors(county: Any, args: tuple[str, ...], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        run("summary", *args)


def test_monthly_for_a_month(payments: Any) -> None:
    output = run("monthly", "2022-02")
    assert MonthlyReport.objects.count() == 3  # the county and its two townships
    assert "2022-02 320722 " in output
    with pytest.raises(CommandError, match="2022-2x"):
        run("monthly", "2022-2x")
