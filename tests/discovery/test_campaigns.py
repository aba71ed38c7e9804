"""Screening campaigns: visit lists for every village, progress counts by township and
village, visits recorded, findings turned into help, new people added to the registry."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase

from safetynet.accounts.roles import Role
from safetynet.core.actor import Actor
from safetynet.discovery import campaigns, jobs, selectors, services
from safetynet.discovery.models import Campaign, Outcome, Visit, VisitStatus
from safetynet.intake.models import Application
from safetynet.registry.models import Person
from tests.conftest import (
    COUNTY,
    TOWN_A,
    TOWN_B,
    VILLAGE_A,
    VILLAGE_B,
    make_household,
    make_user,
    new_id,
)
from tests.discovery.conftest import head
from tests.discovery.test_warnings import enrol


@pytest.fixture
def people(clerk: Any, clerk_b: Any) -> dict[str, Any]:
    dibao = make_household(clerk, name="低保户", members=1)
    enrol(dibao, "dibao")
    alone = make_household(clerk, name="独居老人", id_number=new_id(date(1935, 1, 1)))
    ill = make_household(clerk_b, village=VILLAGE_B, name="病人",
                         id_number=new_id(date(1970, 1, 1)), serious_illness=True)
    return {"dibao": dibao, "alone": alone, "ill": ill}


def create(actor: Any, **data: Any) -> Campaign:
    fields = {"name": "2022年困难群众大排查", "area_code": COUNTY, "starts_on": date(2022, 3, 1),
              "ends_on": date(2030, 12, 31),
              "categories": ["dibao", "elderly_alone", "serious_illness"], **data}
    with TestCase.captureOnCommitCallbacks(execute=True):
        campaign = jobs.start_campaign(Actor.of(actor), fields)
    campaign.refresh_from_db()
    return campaign


def test_the_list_holds_each_group_of_every_village(county_officer: Any,
                                                   people: dict[str, Any]) -> None:
    campaign = create(county_officer)
    visits = {(v.person.name, v.category, v.area_id, v.covered) for v in
              Visit.objects.select_related("person")}
    assert visits == {("低保户", "dibao", VILLAGE_A, True),
                      ("独居老人", "elderly_alone", VILLAGE_A, False),
                      ("病人", "serious_illness", VILLAGE_B, False)}
    assert campaign.targets == 3
    assert campaigns.generate(campaign.pk) == 0  # again: nothing new


def test_there_are_six_covered_and_nine_uncovered_groups() -> None:
    assert (len(campaigns.COVERED), len(campaigns.UNCOVERED)) == (6, 9)


def test_progress_by_township_and_village(county_officer: Any, people: dict[str, Any],
                                          village_worker: Any, approver: Any) -> None:
    campaign = create(county_officer)
    visit = Visit.objects.get(category="dibao")
    services.record_visit(Actor.of(village_worker),
                          visit, {"status": "found", "situation": "生活稳定"})
    total, lines = selectors.progress(approver, campaign)
    assert (total.total, total.visited, total.percent) == (3, 1, 33)
    by_code = {p.code: (p.total, p.visited, p.found, p.percent) for p in lines}
    assert by_code == {TOWN_A: (2, 1, 1, 50), TOWN_B: (1, 0, 0, 0)}
    _total, villages = selectors.progress(approver, campaign, TOWN_A)
    assert [(p.code, p.total, p.visited) for p in villages] == [(VILLAGE_A, 2, 1)]
    mine, lines = selectors.progress(village_worker, campaign)  # only its village
    assert (mine.total, [p.code for p in lines]) == (2, [VILLAGE_A])


def test_a_finding_that_needs_help_becomes_an_application(
        county_officer: Any, people: dict[str, Any], village_worker: Any,
        approver: Any) -> None:
    campaign = create(county_officer)
    visit = Visit.objects.get(category="elderly_alone")
    services.record_visit(Actor.of(village_worker), visit, {
        "status": "found", "situation": "独居，行动不便", "needs": "生活照料和临时救助",
        "needs_help": True})
    assert list(selectors.found_not_covered(approver, campaign)) == [visit]
    visit = services.visit_help(Actor.of(village_worker), visit, Outcome.APPLICATION,
                                {"kind": "temp_emergency"})
    app = Application.objects.get(pk=visit.application_id)
    assert app.kind == "temp_emergency" and app.reason == "生活照料和临时救助"
    with pytest.raises(ValidationError):
        services.visit_help(Actor.of(village_worker), visit, Outcome.REFERRAL, {})


def test_a_visit_needs_a_result(county_officer: Any, people: dict[str, Any],
                                village_worker: Any) -> None:
    create(county_officer)
    visit = Visit.objects.get(category="dibao")
    with pytest.raises(ValidationError):
        services.record_visit(Actor.of(village_worker), visit, {"status": "found"})
    with pytest.raises(ValidationError):
        services.record_visit(Actor.of(village_worker), visit, {"status": "maybe"})
    services.record_visit(Actor.of(village_worker), visit, {"status": "not_found"})
    visit.refresh_from_db()
    assert visit.status == VisitStatus.NOT_FOUND and visit.visited_by == village_worker


def test_a_person_found_in_the_visits_joins_the_registry(county_officer: Any,
                                                         people: dict[str, Any],
                                                         village_worker: Any) -> None:
    campaign = create(county_officer)
    visit = services.add_found_person(
        Actor.of(village_worker), campaign, "elderly_alone",
        {"area_code": VILLAGE_A, "hukou": "rural", "address": "东村3组"},
        {"name": "新发现", "id_number": new_id(date(1938, 2, 2))},
        {"situation": "无人照料", "needs_help": True})
    assert Person.objects.filter(name="新发现", household=visit.household).exists()
    assert visit.added_in_visit and visit.status == VisitStatus.FOUND
    campaign.refresh_from_db()
    assert campaign.targets == 4


def test_campaigns_are_created_by_the_county(officer: Any, people: dict[str, Any]) -> None:
    with pytest.raises(PermissionDenied):
        create(officer)


def test_bad_campaign_input_is_refused(county_officer: Any) -> None:
    with pytest.raises(ValidationError) as error:
        create(county_officer, categories=[], ends_on=date(2022, 1, 1))
    assert "ends_on" in error.value.message_dict


def test_visible_campaigns_follow_the_areas(county_officer: Any, people: dict[str, Any],
                                            county: Any) -> None:
    campaign = create(county_officer)
    other = make_user("b_worker", Role.VILLAGE, county[VILLAGE_B])
    assert list(selectors.campaigns_for(other)) == [campaign]
    assert [v.person.name for v in selectors.visits_for(other, campaign)] == ["病人"]
    assert head(people["ill"]).name == "病人"
