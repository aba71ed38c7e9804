"""registry/columns.py: the registry's households as the engine's columns, in few queries."""

from __future__ import annotations

from datetime import date

import polars as pl
from django.db import connection
from django.test.utils import CaptureQueriesContext

from safetynet.core.jurisdiction import scope
from safetynet.policy.columns import HOUSEHOLD_FIELDS, PERSON_FIELDS
from safetynet.registry.columns import registry_frames
from safetynet.registry.models import Household
from tests.conftest import VILLAGE_A2
from tests.rules.conftest import add_household, member, members_of


def test_frames_have_exactly_the_fields_of_the_json_format(clerk) -> None:
    add_household(clerk, [member()])
    persons, households = registry_frames(Household.objects.all())
    assert persons.columns == list(PERSON_FIELDS)
    assert households.columns == list(HOUSEHOLD_FIELDS)
    assert persons["id"].dtype == pl.Int64 and households["id"].dtype == pl.Int64
    assert persons["birth_date"].dtype == pl.Date


def test_assets_vehicles_houses_expenses_and_incomes_are_summed(clerk) -> None:
    household = add_household(
        clerk, [member(income=300), member(income=450)],
        assets=[("deposit", 1000), ("securities", 250), ("car", 30000), ("motorcycle", 3000),
                ("mobility_vehicle", 2000), ("house", 90000), ("house", 10000),
                ("other", 500)],
        expenses=[("medical", 120), ("education", 80)])
    first = members_of(household)[0]
    first.incomes.create(kind="pension", monthly_amount="100.50")
    persons, households = registry_frames(Household.objects.all())
    row = households.row(0, named=True)
    assert row["financial_assets"] == 1250.0
    assert row["vehicles"] == 1  # the motorcycle and the mobility vehicle do not count
    assert row["houses"] == 2
    assert row["rigid_expenses"] == 200.0
    assert row["area_code"] == household.area_id and row["hukou"] == "rural"
    assert persons["monthly_income"].to_list() == [400.5, 450.0]


def test_blank_registry_codes_are_null_and_flags_come_through(clerk) -> None:
    add_household(clerk, [member(disability_category="intellectual", disability_grade=2,
                                 serious_illness=True, no_able_supporter=True,
                                 self_care="partial", ability_grade=3)])
    persons, _households = registry_frames(Household.objects.all())
    row = persons.row(0, named=True)
    assert row["disability_category"] == "intellectual" and row["disability_grade"] == 2
    assert row["serious_illness"] and row["no_able_supporter"] and not row["in_institution"]
    assert row["self_care"] == "partial" and row["ability_grade"] == 3
    assert row["orphan_status"] is None and row["relation"] == "head"


def test_only_living_counted_members_of_active_households(clerk) -> None:
    household = add_household(clerk, [member(), member(), member()])
    head, dead, away = members_of(household)
    dead.deceased_on = date(2022, 1, 1)
    dead.save()
    away.not_counted = "prison"
    away.save()
    dissolved = add_household(clerk, [member()])
    Household.objects.filter(pk=dissolved.pk).update(active=False)
    persons, households = registry_frames(Household.objects.all())
    assert households["id"].to_list() == [household.pk]
    assert persons["id"].to_list() == [head.pk]


def test_persons_are_grouped_by_household_in_household_order(clerk) -> None:
    first = add_household(clerk, [member()])
    second = add_household(clerk, [member(), member()])
    add_household(clerk, [member()])
    first_more = add_household(clerk, [member()])
    persons, households = registry_frames(Household.objects.all())
    assert households["id"].to_list() == sorted(households["id"].to_list())
    order = persons["household_id"].to_list()
    assert order == sorted(order)
    assert order.count(second.pk) == 2 and first.pk in order and first_more.pk in order


def test_a_fixed_number_of_queries_whatever_the_size(clerk) -> None:
    add_household(clerk, [member(income=100)], assets=[("deposit", 10)])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            registry_frames(Household.objects.all())
        return len(queries)

    small = count()
    for _ in range(5):
        add_household(clerk, [member(income=100), member(income=5)],
                      assets=[("deposit", 10), ("house", 1)], expenses=[("medical", 3)])
    assert count() == small == 5


def test_the_jurisdiction_scope_of_the_queryset_is_kept(clerk, clerk_b) -> None:
    mine = add_household(clerk, [member()], village=VILLAGE_A2)
    add_household(clerk_b, [member()], village="320722101201")
    persons, households = registry_frames(scope(Household.objects.all(), clerk))
    assert households["id"].to_list() == [mine.pk]
    assert persons["household_id"].unique().to_list() == [mine.pk]


def test_an_empty_registry_gives_empty_frames_of_the_right_shape(db) -> None:
    persons, households = registry_frames(Household.objects.all())
    assert persons.height == households.height == 0
    assert persons.columns == list(PERSON_FIELDS)
