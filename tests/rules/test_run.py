"""`safetynet rules run`: the registry evaluated in place, the amounts stored."""

from __future__ import annotations

import io
from datetime import date

import polars as pl
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from safetynet.core.models import AuditEvent
from safetynet.policy import evaluate
from safetynet.registry.columns import registry_frames
from safetynet.registry.models import Household
from safetynet.rules import services
from safetynet.rules.models import EvaluationResult, EvaluationRun, JobStatus
from safetynet.rules.runs import DaskOptions, execute_run
from tests.rules.conftest import ON, add_household, member, members_of


def stored(on: date = ON) -> set[tuple[int, int | None, str, int]]:
    return set(EvaluationResult.objects.filter(on=on).values_list(
        "household_id", "person_id", "program", "monthly_amount"))


def expected(on: date = ON) -> set[tuple[int, int | None, str, int]]:
    persons, households = registry_frames(Household.objects.all())
    return set(evaluate(persons, households, on).iter_rows())


def rules_run(*args: str) -> str:
    out = io.StringIO()
    call_command("rules", "run", "--on", ON.isoformat(), *args, stdout=out)
    return out.getvalue()


def test_run_stores_every_amount_of_the_engine(registry) -> None:
    output = rules_run()
    assert stored() == expected()
    elder = members_of(registry["elder"])[0]
    assert (registry["dibao"].pk, None, "dibao", 1250) in stored()
    assert (registry["elder"].pk, elder.pk, "tekun_basic", 845) in stored()
    run = EvaluationRun.objects.get()
    assert run.status == JobStatus.DONE and run.on == ON and run.requested_by is None
    assert (run.households, run.persons, run.results) == (4, 7, len(stored()))
    assert run.monthly_total == sum(row[3] for row in stored())
    assert run.by_program["dibao"] == {"rows": 1, "monthly": 1250}
    assert len(run.parameters_fingerprint) == 64 and run.scope_codes == []
    assert "4 households" in output and "households/s" in output


def test_a_new_run_replaces_the_results_of_the_same_date_only(registry) -> None:
    rules_run()
    call_command("rules", "run", "--on", "2022-10-01", stdout=io.StringIO())
    first = EvaluationRun.objects.order_by("pk").first()
    registry["dibao"].members.order_by("pk").first().incomes.update(monthly_amount=500)
    rules_run()
    latest = EvaluationRun.objects.order_by("pk").last()
    assert (registry["dibao"].pk, None, "dibao", 1050) in stored()
    assert not EvaluationResult.objects.filter(run=first).exists()
    assert set(EvaluationResult.objects.filter(on=ON).values_list("run", flat=True)) == {
        latest.pk}
    assert EvaluationResult.objects.filter(on=date(2022, 10, 1)).exists()


def test_a_user_run_evaluates_and_replaces_only_their_areas(registry, clerk) -> None:
    rules_run()
    first = EvaluationRun.objects.get()
    rules_run("--user", clerk.username)
    run = EvaluationRun.objects.order_by("pk").last()
    assert run.households == 2 and run.scope_codes == ["320722100"]
    town_a = {registry["dibao"].pk, registry["near"].pk}
    by_run = dict(EvaluationResult.objects.values_list("household_id", "run_id"))
    assert {h for h, r in by_run.items() if r == run.pk} == {registry["dibao"].pk}
    assert {h for h, r in by_run.items() if r == first.pk} == {registry["elder"].pk}
    assert not town_a & {h for h, r in by_run.items() if r == first.pk}
    assert stored() == expected()


def test_a_failed_store_keeps_the_earlier_results(registry, monkeypatch) -> None:
    rules_run()
    before = stored()

    def broken(rows: pl.DataFrame) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr("safetynet.rules.runs.insert_rows", broken)
    with pytest.raises(RuntimeError):
        rules_run()
    assert stored() == before
    failed = EvaluationRun.objects.order_by("pk").last()
    assert failed.status == JobStatus.FAILED and "disk full" in failed.message


def test_unknown_user_is_a_command_error(db) -> None:
    with pytest.raises(CommandError, match="nobody"):
        rules_run("--user", "nobody")


def test_the_run_is_audited(registry) -> None:
    rules_run()
    event = AuditEvent.objects.filter(action="rules_run").get()
    assert event.detail["source"] == "cli"


def test_queries_do_not_grow_with_the_registry(clerk) -> None:
    add_household(clerk, [member(income=100)])

    def count() -> int:
        run = services.create_run(ON)
        with CaptureQueriesContext(connection) as queries:
            execute_run(run.pk)
        return len(queries)

    small = count()
    for _ in range(10):
        add_household(clerk, [member(income=100), member()], assets=[("deposit", 10)])
    assert count() == small


@pytest.mark.dask
def test_the_dask_engine_stores_the_same_results(registry, clerk, tmp_path) -> None:
    """On a local cluster of 2 worker processes, 4 partitions of 2 households."""
    for _ in range(4):
        add_household(clerk, [member(income=50), member(), member()])
    rules_run()
    in_process = stored()
    rules_run("--engine", "dask", "--partition-size", "2", "--workdir", str(tmp_path))
    assert stored() == in_process
    run = EvaluationRun.objects.order_by("pk").last()
    assert run.engine == "dask" and run.status == JobStatus.DONE
    assert not list(tmp_path.glob("partitions-*"))  # partitions are removed afterwards


def test_dask_options_reach_the_partitions(registry, tmp_path, monkeypatch) -> None:
    """Without a cluster: the partitions are written with the size asked for."""
    seen: dict[str, object] = {}

    def fake(paths, on, **kwargs):  # type: ignore[no-untyped-def]
        seen["paths"], seen["kwargs"] = list(paths), kwargs
        persons, households = registry_frames(Household.objects.all())
        return evaluate(persons, households, on, params=kwargs["params"])

    monkeypatch.setattr("safetynet.policy.distributed.evaluate_partitions", fake)
    run = services.create_run(ON, engine="dask")
    execute_run(run.pk, DaskOptions("tcp://127.0.0.1:9", tmp_path, 1))
    assert len(seen["paths"]) == 4  # type: ignore[arg-type]
    assert seen["kwargs"]["scheduler"] == "tcp://127.0.0.1:9"  # type: ignore[index]
    assert stored() == expected()
