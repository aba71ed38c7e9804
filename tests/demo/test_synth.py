"""The generator in memory: areas, identities, determinism, magnitudes (no database)."""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

import pytest

from safetynet.core import areas, idnumber
from safetynet.demo import check, places, synth
from safetynet.demo import specs as g
from safetynet.demo.identity import luhn_digit
from safetynet.demo.specs import STANDARD, HouseholdSpec
from safetynet.demo.summary import summarise

SMALL = 0.02


@cache
def county(scale: float = SMALL, seed: int = 2022) -> list[HouseholdSpec]:
    return synth.generate(scale, seed, places.area_tree())


def fingerprint(households: list[HouseholdSpec]) -> list[tuple[object, ...]]:
    return [(hh.number, hh.address, hh.bank_account, tuple(hh.assets),
             tuple((p.name, p.id_number, p.birth_date, p.phone, tuple(p.incomes))
                   for p in hh.members)) for hh in households]


def test_area_tree_has_donghais_shape() -> None:
    tree = places.area_tree()
    levels = Counter(areas.level_of(a.code) for a in tree)
    lowest = [a for a in tree if len(a.code) == 12]
    assert levels == {areas.COUNTY: 1, areas.TOWNSHIP: 20, areas.VILLAGE: 371}
    assert sum(areas.is_community(a.code) for a in lowest) == 25
    assert len({a.name for a in lowest}) == len(lowest)


@pytest.mark.parametrize("kind, suffix", [("street", "街道"), ("town", "镇"), ("township", "乡")])
def test_township_codes_match_their_kind(kind: str, suffix: str) -> None:
    townships = [a for a in places.area_tree() if len(a.code) == 9]
    matching = [a for a in townships if areas.township_kind(a.code) == kind]
    assert matching and all(a.name.endswith(suffix) for a in matching)


def test_villages_and_communities_are_numbered_by_kind() -> None:
    tree = places.area_tree()
    codes = {a.code for a in tree}
    for area in (a for a in tree if len(a.code) == 12):
        assert area.parent in codes and area.code.startswith(area.parent or "-")
        if areas.is_community(area.code):
            assert area.name.endswith("社区") and 1 <= int(area.code[9:]) <= 199
        else:
            assert area.name.endswith("村") and 200 <= int(area.code[9:]) <= 399


def test_every_township_has_a_village() -> None:
    """The demo logins need a village (200+) in the first township."""
    tree = places.area_tree()
    for township in (a for a in tree if len(a.code) == 9):
        assert any(a.parent == township.code and not areas.is_community(a.code) for a in tree)


def test_id_numbers_are_valid_unique_and_match_birth_date_and_sex() -> None:
    persons = [p for hh in county() for p in hh.members]
    assert len({p.id_number for p in persons}) == len(persons)
    for p in persons:
        parsed = idnumber.parse(p.id_number)
        assert (parsed.birth_date, parsed.sex) == (p.birth_date, p.sex)


def test_id_numbers_are_mostly_donghai_with_some_abolished_codes() -> None:
    regions = Counter(p.id_number[:6] for hh in county(0.1) for p in hh.members)
    total = sum(regions.values())
    assert 0.8 < regions["320722"] / total < 0.95
    assert regions["320721"] > 0 and regions["320705"] > 0


def test_household_numbers_are_area_code_and_sequence() -> None:
    households = county()
    per_area = Counter(hh.area_code for hh in households)
    numbers = {hh.number for hh in households}
    assert len(numbers) == len(households)
    for hh in households:
        assert re.fullmatch(hh.area_code + r"\d{5}", hh.number)
        assert 1 <= int(hh.number[12:]) <= per_area[hh.area_code]


def test_contact_and_account_details_look_real() -> None:
    households = county()
    phones = [p.phone for hh in households for p in hh.members if p.phone]
    assert phones and all(re.fullmatch(r"1\d{10}", phone) for phone in phones)
    with_account = [hh for hh in households if hh.bank_account]
    assert 0.5 * len(households) < len(with_account) < len(households)  # some are missing
    for hh in with_account:
        assert hh.bank_name and luhn_digit(hh.bank_account[:-1]) == hh.bank_account[-1]
    assert all(hh.address and hh.phone for hh in households)


def test_same_seed_same_people_other_seed_other_people() -> None:
    tree = places.area_tree()
    first = synth.generate(0.01, 7, tree)
    again = synth.generate(0.01, 7, tree)
    other = synth.generate(0.01, 8, tree)
    assert fingerprint(first) == fingerprint(again)
    assert fingerprint(first) != fingerprint(other)


def test_size_scales_with_the_scale() -> None:
    small, large = len(county(0.01)), len(county(0.04))
    assert 3.6 < large / small < 4.4
    persons = sum(len(hh.members) for hh in county(0.04))
    assert 150_000 * 0.04 < persons < 200_000 * 0.04


def test_group_shares_follow_donghai_2022() -> None:
    """Ratios of the groups at a small scale, against the scale-1.0 magnitudes."""
    scale = 0.05
    summary = summarise(places.area_tree(), county(scale))
    persons = summary.persons_by_group
    expected = {"dibao": 13_493, "tekun": 1_452, "low_income": 25_000}
    for group, count in expected.items():
        assert persons[group] == pytest.approx(count * scale, rel=0.1), group
    assert summary.aged_80_plus == pytest.approx(35_000 * scale, rel=0.1)
    assert summary.disabled == pytest.approx(9_400 * scale, rel=0.12)
    assert summary.left_behind_children >= 4_000 * scale
    assert 1 <= summary.orphans <= 100 * scale


def test_incomes_put_each_group_where_it_belongs() -> None:
    for hh in county():
        per_capita = hh.per_capita_income
        if hh.group == g.DIBAO:
            assert per_capita < STANDARD
        elif hh.group == g.LOW_INCOME:
            assert STANDARD <= per_capita < 2 * STANDARD
        elif hh.group == g.TEKUN:
            (person,) = hh.members
            assert person.no_able_supporter and person.monthly_income < STANDARD
        else:
            assert per_capita >= 2 * STANDARD
            assert not any(p.no_able_supporter for p in hh.members)


def test_poor_households_own_no_car_and_at_most_one_house() -> None:
    for hh in county():
        if hh.group in (g.DIBAO, g.TEKUN, g.LOW_INCOME, g.RIGID):
            kinds = Counter(kind for kind, _value, _note in hh.assets)
            assert kinds["car"] == 0 and kinds["house"] <= 1


def test_the_policy_engine_finds_the_published_magnitudes() -> None:
    scale = 0.05
    outcome = check.evaluate(county(scale))
    for key, published in check.PUBLISHED.items():
        assert getattr(outcome, key) == pytest.approx(published * scale, rel=0.12), key
