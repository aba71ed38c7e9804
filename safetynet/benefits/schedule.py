"""The review schedule of DOMAIN.md §4.

* dibao: every 6 months for a household with unstable income and a member able to work
  (aged 16–59, no disability certificate, no serious illness, not a student, farming,
  self-employed, migrant or unemployed); every 12 months otherwise;
* extreme-poverty support, disability and orphan allowances: every 12 months;
* the old-age allowance (age only, no means test) and one-off grants: no review.
"""

from __future__ import annotations

from datetime import date

from safetynet.registry.models import Household

STABLE_MONTHS = 12
UNSTABLE_MONTHS = 6
NO_REVIEW = frozenset({"elderly_allowance", "temporary"})
UNSTABLE_WORK = frozenset({"farming", "self_employed", "migrant", "unemployed", ""})
WORKING_AGES = (16, 59)


def able_and_unstable(household: Household, on: date) -> bool:
    """A living member of working age, able to work, without a stable income."""
    for person in household.members.filter(deceased_on__isnull=True, not_counted=""):
        age = person.age_on(on)
        able = (not person.disability_grade and not person.serious_illness
                and not person.full_time_student)
        if WORKING_AGES[0] <= age <= WORKING_AGES[1] and able and (
                person.employment in UNSTABLE_WORK):
            return True
    return False


def review_months(program: str, household: Household, on: date) -> int:
    """Months between reviews (0: never reviewed)."""
    if program in NO_REVIEW:
        return 0
    if program == "dibao" and able_and_unstable(household, on):
        return UNSTABLE_MONTHS
    return STABLE_MONTHS
