"""The review schedule of DOMAIN.md §4.

* dibao: every 6 months for a household with unstable income and a member able to work
  (of working age, ``discovery.working_age``: 16 ≤ age < 60; no disability certificate,
  no serious illness, not a student; farming, self-employed, migrant or unemployed);
  every 12 months otherwise;
* extreme-poverty support, disability and orphan allowances: every 12 months;
* the old-age allowance (age only, no means test) and one-off grants: no review.

The intervals are the dated parameter ``benefits.review_months``.
"""

from __future__ import annotations

from datetime import date

from safetynet.registry.models import Household
from safetynet.rules.parameters import current_parameters, parameter_value

REVIEW_MONTHS = "benefits.review_months"  # dated parameter: {stable, unstable}
NO_REVIEW = frozenset({"elderly_allowance", "temporary"})
UNSTABLE_WORK = frozenset({"farming", "self_employed", "migrant", "unemployed", ""})
WORKING_AGE = "discovery.working_age"  # {min, max}: min <= age < max, shared with discovery


def able_and_unstable(household: Household, on: date) -> bool:
    """A living member of working age, able to work, without a stable income."""
    low = parameter_value(WORKING_AGE, household.area_id, on, "min")
    high = parameter_value(WORKING_AGE, household.area_id, on, "max")
    for person in household.members.filter(deceased_on__isnull=True, not_counted=""):
        age = person.age_on(on)
        able = (not person.disability_grade and not person.serious_illness
                and not person.full_time_student)
        if low <= age < high and able and (
                person.employment in UNSTABLE_WORK):
            return True
    return False


def review_months(program: str, household: Household, on: date) -> int:
    """Months between reviews (0: never reviewed)."""
    if program in NO_REVIEW:
        return 0
    key = "unstable" if program == "dibao" and able_and_unstable(household, on) else "stable"
    return interval(household.area_id, on, key)


def interval(area_code: str, on: date, key: str = "stable") -> int:
    """The review interval in months in force for the area on the date."""
    dated = current_parameters()[REVIEW_MONTHS].for_area(area_code, on)
    if dated is None or not isinstance(dated.value, dict):
        raise LookupError(f"{REVIEW_MONTHS} has no value for {area_code} on {on}")
    return int(dated.value[key])
