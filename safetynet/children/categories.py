"""Which child-protection categories a child falls in, derived from recorded facts, with
the reason for each (DOMAIN.md §6 and the orphan_allowance rule of §4).

Pure functions over a small ``Facts`` record, so that the rules are easy to read and test;
``facts_of`` builds the record from a registered child.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from safetynet.children.models import Category, ChildProfile, ParentStatus
from safetynet.rules.parameters import parameter_value

LEFT_BEHIND_AGE = "children.left_behind_age"
CHILD_AGE_LIMIT = "orphan_allowance.age_limit"
CONTINUE_IN_STUDY = "orphan_allowance.continue_in_study"

# A parent in one of these states cannot act as the child's guardian.
UNABLE = frozenset({
    ParentStatus.DECEASED, ParentStatus.MISSING, ParentStatus.IMPRISONED,
    ParentStatus.REHABILITATION, ParentStatus.DISABLED, ParentStatus.ILL,
    ParentStatus.LOST_CONTACT, ParentStatus.DEPRIVED, ParentStatus.DEPORTED,
})


@dataclass(frozen=True)
class Facts:
    age: int
    rural: bool
    father: str
    mother: str
    registry_orphan: str = ""  # Person.orphan_status
    disability_grade: int | None = None
    poverty: bool = False
    improper_guardianship: bool = False
    full_time_student: bool = False
    has_carer: bool = True  # someone is recorded as actually caring for the child


@dataclass(frozen=True)
class Limits:
    left_behind_age: int
    child_age: int
    continue_in_study: bool


def limits_for(area_code: str, on: dt.date) -> Limits:
    def value(name: str) -> int:
        return parameter_value(name, area_code, on)

    return Limits(value(LEFT_BEHIND_AGE), value(CHILD_AGE_LIMIT),
                  bool(value(CONTINUE_IN_STUDY)))


def facts_of(child: ChildProfile, on: dt.date) -> Facts:
    person = child.person
    return Facts(
        age=person.age_on(on), rural=person.household.hukou == "rural",
        father=child.father_status, mother=child.mother_status,
        registry_orphan=person.orphan_status or "",
        disability_grade=person.disability_grade, poverty=child.poverty,
        improper_guardianship=child.improper_guardianship,
        full_time_student=person.full_time_student, has_carer=bool(child.carer_name))


def _label(status: str) -> str:
    return str(ParentStatus(status).label) if status in ParentStatus.values else status


def _parents(f: Facts) -> str:
    return _("father: %(f)s; mother: %(m)s") % {"f": _label(f.father), "m": _label(f.mother)}


def _is_orphan(f: Facts) -> bool:
    both_dead = f.father == ParentStatus.DECEASED and f.mother == ParentStatus.DECEASED
    return f.registry_orphan == "orphan" or both_dead


def _no_carer(f: Facts) -> bool:
    return f.registry_orphan == "no_de_facto_carer" or (
        f.father in UNABLE and f.mother in UNABLE)


def _left_behind(f: Facts) -> bool:
    parents = {f.father, f.mother}
    both_away = parents == {ParentStatus.MIGRANT}
    one_away_other_unable = ParentStatus.MIGRANT in parents and bool(parents & UNABLE)
    return f.rural and (both_away or one_away_other_unable)


def _minor(f: Facts, limits: Limits) -> bool:
    return f.age < limits.child_age


def _allowance_age(f: Facts, limits: Limits) -> bool:
    """Orphan categories continue past the age limit in full-time study (parameter)."""
    return _minor(f, limits) or (limits.continue_in_study and f.full_time_student)


def _lacks_guardian(f: Facts) -> bool:
    """No parent at home, and a parent unable to act or nobody recorded as caring."""
    parents = {f.father, f.mother}
    return ParentStatus.AT_HOME not in parents and (bool(parents & UNABLE) or not f.has_carer)


def derive(f: Facts, limits: Limits) -> dict[str, str]:
    """{category: reason} for every category that applies, in a stable order."""
    found: dict[str, str] = {}
    if _is_orphan(f) and _allowance_age(f, limits):
        found[Category.ORPHAN] = _("both parents deceased (%(p)s)") % {"p": _parents(f)} \
            if f.registry_orphan != "orphan" else _("recorded as an orphan in the registry")
    elif _no_carer(f) and _allowance_age(f, limits):
        found[Category.NO_DE_FACTO_CARER] = (
            _("neither parent can care for the child (%(p)s)") % {"p": _parents(f)}
            if f.registry_orphan != "no_de_facto_carer"
            else _("recorded as a child without a de facto carer in the registry"))
    if f.age < limits.left_behind_age and _left_behind(f):
        found[Category.LEFT_BEHIND] = _(
            "aged %(age)s (under %(limit)s), rural hukou, %(p)s") % {
            "age": f.age, "limit": limits.left_behind_age, "p": _parents(f)}
    if not _minor(f, limits):
        return found
    lacking = not found and _lacks_guardian(f)
    if f.poverty:
        found[Category.POVERTY] = _("household in poverty (dibao, tekun or low income)")
    if f.disability_grade:
        found[Category.DISABILITY] = _("own disability certificate, grade %(g)s") % {
            "g": f.disability_grade}
    if f.improper_guardianship or lacking:
        found[Category.GUARDIANSHIP] = (
            _("improper guardianship recorded by the child director")
            if f.improper_guardianship
            else _("no parent at home and nobody able to care (%(p)s)") % {"p": _parents(f)})
    return found


def visit_months(categories: list[str], intervals: dict[str, int]) -> int | None:
    """Months between visits: the shortest interval of the child's categories."""
    months = [intervals[c] for c in categories if c in intervals]
    return min(months) if months else None
