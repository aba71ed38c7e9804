"""Every figure of the summary equals a count or sum computed here, independently, over the
records the test created: paid lines only, the report's months and area only, a person in
both programmes of a combined figure once, dibao split by hukou type."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from safetynet.accounts.models import User
from safetynet.children.models import ChildProfile
from safetynet.discovery.models import Campaign
from safetynet.discovery.models import Visit as ScreeningVisit
from safetynet.eldercare.models import (
    Contract,
    ModificationPlan,
    PlanStatus,
    Provider,
    ServiceOrder,
    Visit,
)
from safetynet.registry.models import Household, Person
from safetynet.reports import summary as s
from safetynet.reports.lines import PAYMENT_FIGURES
from safetynet.reports.query import ReportQuery
from tests.conftest import (
    COUNTY,
    TOWN_A,
    TOWN_B,
    VILLAGE_A,
    VILLAGE_A2,
    VILLAGE_B,
    make_household,
    new_id,
)
from tests.reports.conftest import from_lines

JAN, FEB, MAR, APR, DEC = (date(2022, 1, 1), date(2022, 2, 1), date(2022, 3, 1),
                           date(2022, 4, 1), date(2021, 12, 1))
QUARTER = ReportQuery(JAN, MAR, COUNTY)
@dataclass
class Scenario:
    h1: Household
    h2: Household
    h3: Household

    def person(self, household: Household, index: int = 0) -> Person:
        return list(household.members.order_by("pk"))[index]


def build_payments(clerk: User, clerk_b: User, paid_line: Any) -> Scenario:
    h1 = make_household(clerk, village=VILLAGE_A, name="王小明", members=2)
    h2 = make_household(clerk, village=VILLAGE_A2, name="李四")
    Household.objects.filter(pk=h2.pk).update(hukou="urban")
    h2.refresh_from_db()
    h3 = make_household(clerk_b, village=VILLAGE_B, name="赵五", members=1)
    sc = Scenario(h1, h2, h3)
    head1, kid1, kid2 = (sc.person(h1, i) for i in range(3))
    head2, head3 = sc.person(h2), sc.person(h3)
    # dibao: household level, persons = most persons of a line in the period
    paid_line(h1, "dibao", JAN, "900.00", persons=3)
    paid_line(h1, "dibao", FEB, "600.00", persons=2)
    paid_line(h1, "dibao", MAR, "900.00", persons=3)
    paid_line(h1, "dibao", DEC, "900.00", persons=5)  # before the months
    paid_line(h1, "dibao", APR, "900.00", persons=6)  # after
    paid_line(h2, "dibao", JAN, "650.00", persons=1)
    paid_line(h2, "dibao", FEB, "650.00", persons=1, status="failed")
    paid_line(h3, "dibao", JAN, "1000.00", persons=2)
    paid_line(h3, "dibao", MAR, "1000.00", persons=2, status="pending")
    # tekun: kid1 in basic and care (once in "tekun"), head2 in care only
    paid_line(h1, "tekun_basic", JAN, "845.00", person=kid1)
    paid_line(h1, "tekun_basic", FEB, "845.00", person=kid1)
    paid_line(h1, "tekun_care", JAN, "150.00", person=kid1)
    paid_line(h2, "tekun_care", FEB, "368.00", person=head2)
    # disability: head1 both allowances (once), head3 nursing in township B
    paid_line(h1, "disability_living", JAN, "195.00", person=head1)
    paid_line(h1, "disability_nursing", JAN, "200.00", person=head1)
    paid_line(h3, "disability_nursing", FEB, "150.00", person=head3)
    paid_line(h3, "disability_nursing", MAR, "150.00", person=head3, status="cancelled")
    # temporary: household level
    paid_line(h1, "temporary", FEB, "2000.00", persons=3)
    paid_line(h1, "temporary", MAR, "1000.00", persons=2)
    paid_line(h2, "temporary", MAR, "1300.00", persons=1)
    paid_line(h1, "orphan_allowance", JAN, "1646.00", person=kid2)
    paid_line(h3, "elderly_allowance", JAN, "150.00", person=head3)
    return sc


@pytest.fixture
def payments(clerk: User, clerk_b: User, paid_line: Any) -> Scenario:
    return build_payments(clerk, clerk_b, paid_line)


def expected(query: ReportQuery, key: str) -> tuple[int, int, Decimal]:
    """The figure computed here in Python, from the lines' own fields."""
    return from_lines(key, query.months, query.area)


def by_key(rows: list[Any]) -> dict[str, Any]:
    return {r.key: r for r in rows}


@pytest.mark.parametrize("area", [COUNTY, TOWN_A, TOWN_B, VILLAGE_A2])
def test_every_payment_figure_equals_an_independent_count(payments: Scenario, area: str) -> None:
    query = ReportQuery(JAN, MAR, area)
    report = s.summary(query, None)
    assert [r.key for r in report.programs] == [f.key for f in PAYMENT_FIGURES]
    for row in report.programs:
        assert (row.households, row.persons, row.amount) == expected(query, row.key), row.key


def test_the_published_rules_on_the_county(payments: Scenario) -> None:
    rows = by_key(s.summary(QUARTER, None).programs)
    assert (rows["dibao_rural"].households, rows["dibao_rural"].persons) == (2, 5)
    assert rows["dibao_rural"].amount == Decimal("3400.00")  # failed/pending/outside left out
    assert (rows["dibao_urban"].households, rows["dibao_urban"].persons) == (1, 1)
    assert (rows["tekun_basic"].persons, rows["tekun_care"].persons) == (1, 2)
    assert rows["tekun"].persons == 2 and rows["tekun"].households == 2
    assert rows["tekun"].amount == Decimal("2208.00")
    assert rows["disability"].persons == 2  # head1's two allowances count once
    assert rows["temporary"].persons == 4  # h1: most of 3 and 2; h2: 1
    assert rows["tekun"].wan == Decimal("0.2208")


def test_clerk_of_another_township_sees_none_of_township_a(payments: Scenario,
                                                         clerk_b: User) -> None:
    rows = by_key(s.summary(ReportQuery(JAN, MAR, TOWN_B), clerk_b).programs)
    assert rows["tekun"].persons == 0 and rows["dibao_urban"].households == 0
    assert rows["dibao_rural"].households == 1 and rows["disability"].persons == 1
    # even asking for the county, clerk_b's jurisdiction applies
    county = by_key(s.summary(QUARTER, clerk_b).programs)
    assert county == rows


def test_json_shape(payments: Scenario) -> None:
    data = s.summary(QUARTER, None).as_json()
    assert set(data) == {"from", "to", "area", "programs", "services"}
    assert (data["from"], data["to"], data["area"]) == ("2022-01", "2022-03", COUNTY)
    first = data["programs"][0]
    assert first == {"program": "dibao_rural", "households": 2, "persons": 5,
                     "amount_yuan": "3400.00"}
    assert [p["program"] for p in data["programs"]] == [f.key for f in PAYMENT_FIGURES]


def test_payment_records_add_up_to_the_figure(payments: Scenario) -> None:
    for figure in PAYMENT_FIGURES:
        items = s.records(figure.key, QUARTER, None)
        total = s.record_total(figure.key, items, QUARTER, None)
        row = by_key(s.summary(QUARTER, None).programs)[figure.key]
        assert total == row
        assert sum(x.fen for x in items) == int(row.amount * 100)
        assert len({x.household_id for x in items}) == row.households
        if figure.household_level:  # the most persons of each household, summed
            assert sum(x.most for x in items) == row.persons
        else:
            assert len({x.person_id for x in items}) == row.persons


def test_unknown_figure_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        s.figure("nonsense")


# --- service figures ------------------------------------------------------------------------


def at(day: date, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day + 4, hour))


def build_services(clerk: User, clerk_b: User, approver: User) -> dict[str, Any]:
    """Home care, a modification, children and a campaign in both townships."""
    old_a = make_household(clerk, village=VILLAGE_A, name="钱老",
                           id_number=new_id(date(1938, 1, 1))).members.get()
    old_a2 = make_household(clerk, village=VILLAGE_A2, name="孙老",
                            id_number=new_id(date(1937, 1, 1))).members.get()
    old_b = make_household(clerk_b, village=VILLAGE_B, name="周老",
                           id_number=new_id(date(1936, 1, 1))).members.get()
    provider = Provider.objects.create(name="康乐", credit_code="52320722MJ1234567X")
    contract = Contract.objects.create(provider=provider, number="C1", starts_on=JAN,
                                       ends_on=date(2022, 12, 31))

    def order(person: Person, month: date) -> ServiceOrder:
        return ServiceOrder.objects.create(month=month, person=person,
                                           household_id=person.household_id,
                                           area_id=person.area_id, provider=provider,
                                           contract=contract, entitlement=Decimal("30.00"))

    def visit(o: ServiceOrder, minutes: int = 60, confirmation: str = "self",
              flags: list[str] | None = None) -> None:
        start = at(o.month)
        Visit.objects.create(order=o, worker=approver, started_at=start,
                             ended_at=start + timezone.timedelta(minutes=minutes),
                             value=Decimal("30.00"), confirmation=confirmation,
                             flags=flags or [])

    visit(order(old_a, JAN))  # compliant
    visit(order(old_a, FEB), minutes=30)  # too short, but served
    order(old_a, MAR)  # no visit
    visit(order(old_a2, JAN), confirmation="none")  # not counted: not served
    visit(order(old_a2, FEB), flags=["overlap"])  # not counted
    visit(order(old_b, JAN))  # township B compliant
    visit(order(old_b, APR))  # after the months
    # modifications: one accepted in February, one still in work, one accepted in April
    for person, status, accepted in ((old_a, PlanStatus.DONE, date(2022, 2, 10)),
                                     (old_a2, PlanStatus.IN_WORK, None),
                                     (old_b, PlanStatus.DONE, date(2022, 4, 2))):
        ModificationPlan.objects.create(household_id=person.household_id, person=person,
                                        area_id=person.area_id, year=2022, status=status,
                                        eligibility="80+", accepted_on=accepted,
                                        created_by=approver)
    kids = make_household(clerk, village=VILLAGE_A, name="吴父", members=0)
    children = []
    for i, (insured, signed, registered) in enumerate((
            (True, date(2022, 1, 5), JAN), (False, date(2022, 5, 1), JAN),
            (True, None, date(2022, 2, 2)), (True, date(2022, 1, 1), APR))):
        child = Person.objects.create(household=kids, area_id=VILLAGE_A, name=f"吴小{i}",
                                      sex="M", birth_date=date(2015, 1, 1 + i), relation="child")
        children.append(ChildProfile.objects.create(
            person=child, area_id=VILLAGE_A, categories=",left_behind,", insured=insured,
            guardianship_signed_on=signed, registered_on=registered, created_by=approver))
    ChildProfile.objects.filter(pk=children[1].pk).update(categories=",left_behind,poverty,")
    campaign = Campaign.objects.create(name="排查", area_id=COUNTY, starts_on=date(2022, 3, 1),
                                       ends_on=date(2022, 6, 30), created_by=approver)
    old = Campaign.objects.create(name="旧", area_id=COUNTY, starts_on=date(2021, 1, 1),
                                  ends_on=date(2021, 6, 30), created_by=approver)
    for c, person, category, covered, status in (
            (campaign, old_a, "dibao", True, "found"),
            (campaign, old_a, "tekun", True, "not_found"),  # same person, another list
            (campaign, old_a2, "dibao", True, "pending"),
            (campaign, old_a2, "elderly_alone", False, "found"),
            (campaign, old_a2, "widowed_elderly", False, "found"),  # each list counts
            (campaign, old_a, "elderly_alone", False, "not_found"),
            (campaign, old_b, "elderly_alone", False, "found"),
            (old, old_b, "dibao", True, "found")):  # campaign outside the months
        ScreeningVisit.objects.create(campaign=c, person=person, household_id=person.household_id,
                                      area_id=person.area_id, category=category,
                                      covered=covered, status=status)
    return {"old_a": old_a, "old_a2": old_a2, "old_b": old_b}


@pytest.fixture
def services(clerk: User, clerk_b: User, approver: User) -> dict[str, Any]:
    return build_services(clerk, clerk_b, approver)


def test_service_figures_on_the_county(services: dict[str, Any]) -> None:
    rows = by_key(s.summary(QUARTER, None).services)
    values = {k: r.value for k, r in rows.items()}
    assert values == {
        "home_care_entitled": 6, "home_care_compliant": 2, "home_care_served": 2,
        "modifications_done": 1,
        "left_behind_children": 3, "left_behind_insured": 2, "left_behind_guardianship": 1,
        "screening_covered_visited": 2, "screening_uncovered_found": 3,
        "screening_uncovered_visited": 4}
    assert rows["home_care_compliant"].base == 6
    assert rows["left_behind_insured"].base == 3
    assert rows["modifications_done"].base == 450  # the county's 2022 target


def test_service_figures_of_a_township(services: dict[str, Any], clerk: User) -> None:
    rows = {r.key: r for r in s.summary(ReportQuery(JAN, MAR, TOWN_A), clerk).services}
    assert rows["home_care_entitled"].value == 5 and rows["home_care_compliant"].value == 1
    assert rows["screening_uncovered_found"].value == 2
    assert rows["modifications_done"].base is None  # the target is the county's


def test_service_records_are_what_the_figure_counts(services: dict[str, Any]) -> None:
    report = by_key(s.summary(QUARTER, None).services)
    for key, row in report.items():
        items = s.records(key, QUARTER, None)
        assert s.record_total(key, items, QUARTER, None) == row.value, key
        rows = s.record_rows(key, list(items), None, date(2022, 9, 1))
        assert len(rows) == row.value, key


def test_served_persons_are_distinct_people(services: dict[str, Any]) -> None:
    served = s.records("home_care_served", QUARTER, None)
    assert sorted(served) == sorted([services["old_a"].pk, services["old_b"].pk])
