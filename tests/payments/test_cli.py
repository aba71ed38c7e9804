"""`safetynet payroll ...` on the command line."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from safetynet.payments.models import PaymentLine, PayrollRun


def payroll(*args: str) -> str:
    out = io.StringIO()
    call_command("payroll", *args, stdout=out)
    return out.getvalue()


def test_run_json_then_again_adds_nothing(finance, enrolled):
    first = json.loads(payroll("run", "dibao", "2022-09", "--json", "--user", finance.username))
    assert first == {"run": first["run"], "program": "dibao", "period": "2022-09",
                     "lines": 3, "total_yuan": "4050.00", "created": True}
    again = json.loads(payroll("run", "dibao", "2022-09", "--json"))
    assert again == {**first, "created": False}
    assert "exists, nothing added" in payroll("run", "dibao", "2022-09")
    assert PaymentLine.objects.count() == 3


def test_approve_export_import_reissue(tmp_path: Path, finance, approver, enrolled):
    run_id = json.loads(payroll("run", "dibao", "2022-09", "--json", "--user",
                                finance.username))["run"]
    with pytest.raises(CommandError, match="--user"):
        payroll("approve", str(run_id))
    with pytest.raises(CommandError):
        payroll("approve", str(run_id), "--user", finance.username)
    assert "approved" in payroll("approve", str(run_id), "--user", approver.username)
    out = tmp_path / "bank.xlsx"
    assert "3 lines" in payroll("export", str(run_id), "--format", "xlsx", "--out", str(out))
    assert out.read_bytes()[:2] == b"PK"
    refs = [line.reference for line in PaymentLine.objects.order_by("pk")]
    ret = tmp_path / "ret.csv"
    ret.write_text(f"{refs[0]},failed,账号错误,\n{refs[1]},paid,,\n{refs[2]},paid,,\n")
    result = json.loads(payroll("import-return", str(run_id), str(ret), "--json"))
    assert (result["paid"], result["failed"], result["pending"]) == (2, 1, 0)
    assert "nothing changed" in payroll("import-return", str(run_id), str(ret))
    with pytest.raises(CommandError, match=f"#{run_id}"):  # no account corrected yet
        payroll("reissue", str(run_id))
    assert PayrollRun.objects.count() == 1
    assert "re-issue" in payroll("reissue", str(run_id), "--include-unchanged")
    assert PayrollRun.objects.count() == 2
    stats = json.loads(payroll("stats", "--year", "2022", "--json"))
    assert sum(float(r["yuan_paid"]) for r in stats) == 2700.0


def test_errors_are_clear(finance):
    with pytest.raises(CommandError, match="period"):
        payroll("run", "elderly_allowance", "2022-08")
    with pytest.raises(CommandError, match="no payroll run"):
        payroll("approve", "999", "--user", finance.username)
