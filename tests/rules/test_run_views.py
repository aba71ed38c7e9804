"""Starting a registry evaluation from the web queues a background task; the page polls."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.test import TestCase

from safetynet.core.actor import Actor
from safetynet.rules import services
from safetynet.rules.models import EvaluationResult, EvaluationRun, JobStatus
from tests.rules.test_parameter_views import client_for


def test_an_officer_evaluates_their_township_in_the_background(registry, officer) -> None:
    client = client_for(officer)
    with TestCase.captureOnCommitCallbacks() as queued:
        response = client.post("/rules/runs/", {"on": "2022-09-01"})
    run = EvaluationRun.objects.get()
    assert run.status == JobStatus.PENDING and len(queued) == 1  # queued after the commit
    queued[0]()  # the commit: the immediate task backend of the tests runs it now
    run.refresh_from_db()
    assert response.status_code == 302 and response["Location"] == f"/rules/runs/{run.pk}/"
    assert run.status == JobStatus.DONE and run.households == 2 and run.task_id
    assert EvaluationResult.objects.filter(run=run).count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "1250" in page.replace(",", "") and "hx-trigger" not in page
    assert f"/rules/runs/{run.pk}/" in client.get("/rules/runs/").content.decode()


def test_a_pending_run_polls(registry, officer) -> None:
    run = EvaluationRun.objects.create(on="2022-09-01", requested_by=officer,
                                       scope_codes=["320722100"])
    partial = client_for(officer).get(f"/rules/runs/{run.pk}/", headers={"HX-Request": "true"})
    assert 'hx-trigger="every 1s"' in partial.content.decode()


def test_leaders_and_clerks_do_not_start_runs(leader, clerk) -> None:
    assert client_for(leader).get("/rules/runs/").status_code == 403
    assert client_for(clerk).post("/rules/runs/", {"on": "2022-09-01"}).status_code == 403
    assert not EvaluationRun.objects.exists()


def test_request_run_refuses_a_role_that_may_not_run(leader) -> None:
    with pytest.raises(PermissionDenied):
        services.request_run(Actor.of(leader), date(2022, 9, 1))
    assert not EvaluationRun.objects.exists()
