"""What-if simulation: who gains, who loses, newly and no longer eligible, cost by township."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from safetynet.core.actor import Actor
from safetynet.rules import services
from safetynet.rules.models import JobStatus, Simulation
from safetynet.rules.whatif import execute_simulation
from tests.conftest import TOWN_A, TOWN_B
from tests.rules.conftest import ON


def simulate(overrides: dict[str, object], user=None) -> Simulation:  # type: ignore[no-untyped-def]
    actor = Actor.of(user) if user is not None else None
    simulation = services.create_simulation(ON, overrides, actor)
    return execute_simulation(simulation.pk)


def test_a_higher_standard_gains_and_makes_newly_eligible(registry) -> None:
    summary = simulate({"dibao.standard": 750}).summary
    assert summary["households"] == 4 and summary["persons"] == 7
    assert summary["counts"] == {"gain": 3, "lose": 0, "newly_eligible": 1,
                                 "no_longer_eligible": 0}
    # dibao 1,250 -> 1,550; the near-poor household 0 -> 100; tekun 845 -> 975.
    assert summary["monthly"]["change"] == 300 + 100 + 130
    assert summary["monthly"]["annual_change"] == 12 * 530
    townships = {row["township"]: row for row in summary["by_township"]}
    assert townships[TOWN_A]["change"] == 400 and townships[TOWN_A]["name"] == "牛山镇"
    assert townships[TOWN_B]["change"] == 130 and townships[TOWN_B]["annual_change"] == 1560
    programs = {row["program"]: row for row in summary["by_program"]}
    assert programs["dibao"]["change"] == 400 and programs["dibao"]["newly"] == 1
    assert programs["tekun_basic"]["change"] == 130
    assert programs["elderly_allowance"]["change"] == 0
    [newly] = summary["lists"]["newly_eligible"]
    assert newly["household_id"] == registry["near"].pk and newly["gained"] == ["dibao"]
    assert newly["number"] == registry["near"].number
    cells = {(r["township"], r["program"]): r["change"] for r in summary["by_township_program"]}
    assert cells == {(TOWN_A, "dibao"): 400, (TOWN_B, "tekun_basic"): 130}


def test_a_lower_standard_loses_and_ends_eligibility(registry) -> None:
    summary = simulate({"dibao.standard": 230}).summary
    assert summary["counts"]["lose"] == 2 and summary["counts"]["no_longer_eligible"] == 1
    [gone] = summary["lists"]["no_longer_eligible"]
    assert gone["household_id"] == registry["dibao"].pk and gone["lost"] == ["dibao"]
    assert summary["monthly"]["change"] == -1250 - (845 - 299)


def test_an_officer_simulates_only_their_township(registry, officer) -> None:
    simulation = simulate({"dibao.standard": 750}, officer)
    assert simulation.scope_codes == [TOWN_A] and simulation.summary["households"] == 2
    assert [row["township"] for row in simulation.summary["by_township"]] == [TOWN_A]


def test_invalid_overrides_are_refused_before_anything_runs(registry) -> None:
    with pytest.raises(Exception, match="unknown parameter"):
        services.create_simulation(ON, {"dibao.nothing": 1})
    assert not Simulation.objects.exists()


def test_cli_reports_counts_and_costs(registry) -> None:
    out = io.StringIO()
    call_command("rules", "whatif", "--on", "2022-09-01", "--set", "dibao.standard=750",
                 stdout=out)
    text = out.getvalue()
    assert "gain 3 · lose 0 · newly eligible 1 · no longer eligible 0" in text
    assert "+530" in text and "+6,360" in text and "牛山镇" in text
    assert Simulation.objects.get().status == JobStatus.DONE


def test_cli_json_and_several_settings(registry) -> None:
    out = io.StringIO()
    call_command("rules", "whatif", "--on", "2022-09-01", "--set", "dibao.standard.rural=750",
                 "--set", "tekun.basic_factor=1.3", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["overrides"] == {"dibao.standard.rural": "750", "tekun.basic_factor": "1.3"}
    assert data["monthly"]["change"] == 530 and data["counts"]["newly_eligible"] == 1


@pytest.mark.parametrize("setting", ["dibao.standard", "dibao.nothing=3", "dibao.standard=x"])
def test_cli_refuses_bad_settings(db, setting: str) -> None:
    with pytest.raises(CommandError):
        call_command("rules", "whatif", "--on", "2022-09-01", "--set", setting,
                     stdout=io.StringIO())
