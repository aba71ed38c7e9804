"""The what-if screen: a leader runs "what if the standard were 700" in the background and
reads the cost by township, with a chart drawn by our own script (no inline script)."""

from __future__ import annotations

from django.test import Client, TestCase

from safetynet.rules.models import JobStatus, Simulation
from tests.rules.test_parameter_views import client_for

FORM = {"on": "2022-09-01", "set-TOTAL_FORMS": "3", "set-INITIAL_FORMS": "0",
        "set-MIN_NUM_FORMS": "0", "set-MAX_NUM_FORMS": "10",
        "set-0-parameter": "dibao.standard", "set-0-value": "750",
        "set-1-parameter": "", "set-1-value": "", "set-2-parameter": "", "set-2-value": ""}


def test_a_leader_runs_a_simulation_and_reads_the_cost_by_township(registry, leader) -> None:
    client = client_for(leader)
    assert client.get("/rules/whatif/").status_code == 200
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post("/rules/whatif/", FORM)
    simulation = Simulation.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/rules/whatif/{simulation.pk}/"
    assert simulation.status == JobStatus.DONE  # the immediate task backend of the tests
    assert simulation.requested_by == leader and simulation.overrides == {"dibao.standard": "750"}
    page = client.get(response["Location"]).content.decode()
    assert "牛山镇" in page and "白塔埠镇" in page and "6360" in page.replace(",", "")
    assert 'id="whatif-chart-data" type="application/json"' in page
    assert "/static/vendor/echarts/echarts.min.js" in page and "/static/safetynet/charts.js" in page
    assert registry["near"].number in page  # newly eligible household listed
    assert "<script>" not in page


def test_a_running_simulation_polls_and_a_finished_one_stops(registry, leader) -> None:
    simulation = Simulation.objects.create(on="2022-09-01", overrides={"dibao.standard": "700"},
                                           requested_by=leader, scope_codes=["320722"])
    client = client_for(leader)
    partial = client.get(f"/rules/whatif/{simulation.pk}/", headers={"HX-Request": "true"})
    assert 'hx-trigger="every 1s"' in partial.content.decode()
    assert "<html" not in partial.content.decode()
    Simulation.objects.filter(pk=simulation.pk).update(status=JobStatus.FAILED, message="boom")
    done = client.get(f"/rules/whatif/{simulation.pk}/", headers={"HX-Request": "true"})
    assert "hx-trigger" not in done.content.decode() and "boom" in done.content.decode()


def test_clerks_may_not_simulate(clerk) -> None:
    assert client_for(clerk).get("/rules/whatif/").status_code == 403


def test_invalid_values_are_form_errors(registry, leader) -> None:
    response = client_for(leader).post("/rules/whatif/", {**FORM, "set-0-value": "much"})
    assert response.status_code == 200 and not Simulation.objects.exists()
    nothing = client_for(leader).post("/rules/whatif/", {**FORM, "set-0-parameter": "",
                                                          "set-0-value": ""})
    assert nothing.status_code == 200 and not Simulation.objects.exists()


def test_a_township_simulation_is_hidden_from_another_township(registry, officer,
                                                               county) -> None:
    from tests.conftest import TOWN_B, make_user

    client_for(officer).post("/rules/whatif/", FORM)
    simulation = Simulation.objects.get()
    other = make_user("officer_b", "officer", county[TOWN_B])
    assert client_for(other).get(f"/rules/whatif/{simulation.pk}/").status_code == 404
    assert f"/rules/whatif/{simulation.pk}/" not in client_for(other).get(
        "/rules/whatif/").content.decode()


def test_anonymous_users_are_sent_to_log_in(db) -> None:
    response = Client().get("/rules/whatif/")
    assert response.status_code == 302 and "/login/" in response["Location"]
