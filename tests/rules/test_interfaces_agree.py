"""The CLI (`safetynet rules eval`), the REST API and Python `evaluate()` agree on the same
inputs: every YAML case of tests/policy/cases, evaluated through all three."""

from __future__ import annotations

import io
import json
from datetime import date
from typing import Any

import polars as pl
import pytest
from django.core.management import call_command
from django.test import Client

from safetynet.policy import evaluate
from tests.policy.policy_helpers import case_payload, load_cases

CASES = load_cases()
MEMBER_DATES = ("birth_date",)


def cli_eval(payload: dict[str, Any], *args: str) -> dict[str, Any]:
    out = io.StringIO()
    call_command("rules", "eval", *args, stdin=io.StringIO(json.dumps(payload)), stdout=out)
    return json.loads(out.getvalue())  # type: ignore[no-any-return]


def api_eval(client: Client, payload: dict[str, Any], **params: str) -> dict[str, Any]:
    response = client.post("/api/v1/rules/evaluate", json.dumps(payload),
                           content_type="application/json", query_params=params)
    assert response.status_code == 200, response.content
    return response.json()  # type: ignore[no-any-return]


def python_frames(payload: dict[str, Any]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The JSON as the two frames of evaluate(), built here independently of jsonio."""
    households = [{k: v for k, v in h.items() if k != "members"} | {"id": str(h["id"])}
                  for h in payload["households"]]
    persons = [{**m, "id": str(m["id"]), "household_id": str(h["id"]),
                **{k: date.fromisoformat(m[k]) for k in MEMBER_DATES}}
               for h in payload["households"] for m in h.get("members", [])]
    return pl.DataFrame(persons), pl.DataFrame(households)


def amounts_of_json(output: dict[str, Any]) -> set[tuple[str, str | None, str, int]]:
    return {(str(h["id"]), None if b["person"] is None else str(b["person"]), b["program"],
             b["monthly_amount"]) for h in output["households"] for b in h["benefits"]}


def amounts_of_frame(frame: pl.DataFrame) -> set[tuple[str, str | None, str, int]]:
    return {(h, p, program, amount) for h, p, program, amount in frame.iter_rows()}


@pytest.fixture
def api_client(clerk) -> Client:
    client = Client()
    client.force_login(clerk)
    return client


@pytest.mark.parametrize(("name", "case"), CASES, ids=[name for name, _case in CASES])
def test_cli_api_and_python_agree(api_client, name: str, case: dict[str, Any]) -> None:
    payload = case_payload(case)
    by_cli = cli_eval(payload)
    by_api = api_eval(api_client, payload)
    assert by_cli == by_api
    on = date.fromisoformat(payload["on"])
    persons, households = python_frames(payload)
    by_python = evaluate(persons, households, on)
    assert amounts_of_json(by_cli) == amounts_of_frame(by_python)


def test_explanations_follow_the_language_in_cli_and_api(api_client) -> None:
    payload = case_payload(CASES[0][1])
    assert cli_eval(payload, "--lang", "en") == api_eval(api_client, payload, lang="en")
    assert cli_eval(payload, "--on", "2023-01-01") == api_eval(api_client, payload,
                                                               on="2023-01-01")
