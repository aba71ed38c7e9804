"""`safetynet rules eval`: JSON in (file or stdin), JSON out; input errors exit 2."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

PAYLOAD: dict[str, Any] = {
    "on": "2022-09-01",
    "households": [{"id": "H1", "area_code": "320722100201", "hukou": "rural",
                    "members": [{"id": "P1", "birth_date": "1980-01-01", "monthly_income": 300},
                                {"id": "P2", "birth_date": "1982-01-01", "monthly_income": 400},
                                {"id": "P3", "birth_date": "2012-01-01"}]}],
}
MANAGE = [sys.executable, "-m", "safetynet.manage"]


def run(*args: str, stdin: str = "") -> tuple[int, dict[str, Any], str]:
    """call_command with stdin; (exit code, stdout JSON or {}, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command("rules", "eval", *args, stdin=io.StringIO(stdin), stdout=out, stderr=err)
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, json.loads(out.getvalue() or "{}"), err.getvalue()


def test_reads_stdin_and_writes_the_json_output(db) -> None:
    code, output, _err = run(stdin=json.dumps(PAYLOAD))
    assert code == 0
    [household] = output["households"]
    assert household["benefits"] == [{
        "program": "dibao", "person": None, "monthly_amount": 1250,
        "explanation": "低保标准 650 元 × 3 人 − 家庭月收入 700 元 = 1,250 元"}]


def test_reads_a_file_and_takes_on_and_lang_from_the_options(db, tmp_path: Path) -> None:
    source = tmp_path / "in.json"
    source.write_text(json.dumps({**PAYLOAD, "on": None}), encoding="utf-8")
    code, output, _err = run("--input", str(source), "--on", "2022-09-01", "--lang", "en")
    assert code == 0 and output["on"] == "2022-09-01"
    assert "standard 650 yuan" in output["households"][0]["benefits"][0]["explanation"]


def test_input_errors_exit_2_naming_household_member_and_field(db) -> None:
    bad = json.loads(json.dumps(PAYLOAD))
    bad["households"][0]["members"][1]["monthly_income"] = "much"
    bad["households"][0]["colour"] = "red"
    code, output, err = run(stdin=json.dumps(bad))
    assert code == 2 and output == {}
    errors = json.loads(err)["errors"]
    found = {(e["household"], e["member"], e["field"]) for e in errors}
    assert ("H1", "P2", "monthly_income") in found and ("H1", None, "colour") in found


@pytest.mark.parametrize("text", ["{not json", "", "[1, 2]"])
def test_unreadable_json_exits_2(db, text: str) -> None:
    code, _output, err = run(stdin=text)
    assert code == 2
    assert json.loads(err)["errors"]


def test_an_area_without_parameters_exits_2(db) -> None:
    bad = json.loads(json.dumps(PAYLOAD))
    bad["households"][0]["area_code"] = "110101001001"  # Beijing: no Donghai parameters
    code, _output, err = run(stdin=json.dumps(bad))
    assert code == 2 and json.loads(err)["errors"][0]["field"] == "area_code"


def test_the_installed_command_pipes_stdin_to_stdout(tmp_path: Path) -> None:
    """As a user runs it: a real process, stdin in, JSON out, exit code 2 on bad input."""
    env = {**os.environ, "SAFETYNET_ENV": "test", "SAFETYNET_VAR_DIR": str(tmp_path),
           "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}"}
    subprocess.run([*MANAGE, "migrate", "-v0"], env=env, check=True, timeout=120)
    good = subprocess.run([*MANAGE, "rules", "eval"], input=json.dumps(PAYLOAD), env=env,
                          capture_output=True, text=True, timeout=60)
    assert good.returncode == 0, good.stderr
    assert json.loads(good.stdout)["households"][0]["benefits"][0]["monthly_amount"] == 1250
    bad = subprocess.run([*MANAGE, "rules", "eval"], input='{"households": 1}', env=env,
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and bad.stdout == ""
    assert json.loads(bad.stderr)["errors"][0]["field"] == "households"
