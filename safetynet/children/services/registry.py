"""The registry of children: register, update the facts, review the categories, the
daily age sweep and its notices.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from safetynet.accounts.roles import Role
from safetynet.children import rules
from safetynet.children.categories import (
    CHILD_AGE_LIMIT,
    LEFT_BEHIND_AGE,
    derive,
    facts_of,
    limits_for,
    visit_months,
)
from safetynet.children.models import Category, ChildProfile, Notice, ParentStatus, Risk, join_codes
from safetynet.children.services.access import _require_editor
from safetynet.children.services.common import today
from safetynet.core import audit
from safetynet.core.actor import Actor
from safetynet.core.jurisdiction import covers
from safetynet.registry.models import Person
from safetynet.rules.parameters import lowest_in_force

# Facts of a child that the director records (and the form edits).
FACT_FIELDS = (
    "father_status", "mother_status", "father_name", "mother_name", "father_phone",
    "mother_phone", "father_whereabouts", "mother_whereabouts", "carer_name",
    "carer_relation", "carer_phone", "poverty", "improper_guardianship", "school", "health",
    "risk", "risk_reasons", "insured", "insurance_note",
)
ORPHAN_CATEGORIES = frozenset({Category.ORPHAN, Category.NO_DE_FACTO_CARER})


REGISTRY_ORPHAN: dict[str, str] = {Category.ORPHAN: "orphan",
                                   Category.NO_DE_FACTO_CARER: "no_de_facto_carer"}


def refresh(child: ChildProfile, on: dt.date) -> dict[str, str]:
    """Re-derive categories and the next visit from the facts (does not save)."""
    found = derive(facts_of(child, on), limits_for(child.area_id, on))
    codes = list(found)
    child.categories = join_codes(codes)
    child.active = bool(codes)
    months = visit_months(codes, rules.visit_intervals(child.area_id, on))
    if months is None:
        child.next_visit_due = None
    elif child.last_visit_on is None:
        child.next_visit_due = rules.first_visit_due(child.registered_on, child.area_id)
    else:
        child.next_visit_due = rules.add_months(child.last_visit_on, months)
    return found


def _clean_facts(data: dict[str, Any]) -> dict[str, Any]:
    facts = {k: data[k] for k in FACT_FIELDS if k in data}
    errors: dict[str, str] = {}
    for name in ("father_status", "mother_status"):
        if name in facts and facts[name] not in ParentStatus.values:
            errors[name] = _("Choose where the parent is and whether they can care.")
    if "risk" in facts and facts["risk"] not in Risk.values:
        errors["risk"] = _("Choose low, medium or high.")
    if facts.get("risk") in (Risk.MEDIUM, Risk.HIGH) and not str(
            facts.get("risk_reasons", "")).strip():
        errors["risk_reasons"] = _("Say why the risk is medium or high.")
    if errors:
        raise ValidationError(errors)
    return facts


def _check_child(person: Person, on: dt.date) -> None:
    limit = limits_for(person.area_id, on).child_age
    if person.deceased_on is not None:
        raise ValidationError({"person": _("%(name)s is recorded as deceased.")
                               % {"name": person.name}})
    if person.age_on(on) >= limit and not person.full_time_student:
        raise ValidationError({"person": _("%(name)s is %(age)s: only children under "
                                           "%(limit)s are registered.") % {
            "name": person.name, "age": person.age_on(on), "limit": limit}})
    if ChildProfile.objects.filter(person=person).exists():
        raise ValidationError({"person": _("%(name)s is already registered.")
                               % {"name": person.name}})


def register_child(actor: Actor, person: Person, data: dict[str, Any],
                   registered_on: dt.date | None = None) -> ChildProfile:
    """Register a child of the registry with the facts their categories come from."""
    _require_editor(actor, person.area_id)
    on = today()
    _check_child(person, on)
    child = ChildProfile(person=person, area_id=person.area_id, created_by=actor.user,
                         registered_on=registered_on or on, **_clean_facts(data))
    with transaction.atomic():
        refresh(child, on)
        child.save()
        audit.record("children.register", user=actor, obj=child,
                     categories=child.category_list)
    return child


def update_child(actor: Actor, child: ChildProfile, data: dict[str, Any]) -> ChildProfile:
    _require_editor(actor, child.area_id)
    facts = _clean_facts(data)
    with transaction.atomic():
        locked = ChildProfile.objects.select_for_update().get(pk=child.pk)
        before = locked.category_list
        for name, value in facts.items():
            setattr(locked, name, value)
        refresh(locked, today())
        locked.save()
        audit.record("children.update", user=actor, obj=locked,
                     fields=sorted(facts), before=before, after=locked.category_list)
    return locked


def may_review(actor: Actor, area_code: str) -> bool:
    """The village's child director confirms a child's categories."""
    return actor.role == Role.CHILD_DIRECTOR and covers(actor, area_code)


def review_categories(actor: Actor, child: ChildProfile) -> ChildProfile:
    """The child director confirms the derived categories; an orphan or a child without a
    de facto carer is marked so in the registry, which the orphan allowance reads."""
    if not may_review(actor, child.area_id):
        raise PermissionDenied(_("Only the child director of this village reviews categories."))
    with transaction.atomic():
        locked = ChildProfile.objects.select_for_update(of=("self",)).select_related(
            "person__household").get(pk=child.pk)
        refresh(locked, today())
        locked.reviewed_categories, locked.reviewed_by = locked.categories, actor.user
        locked.reviewed_on = today()
        locked.save()
        _mark_orphan_status(locked)
        audit.record("children.review", user=actor, obj=locked,
                     categories=locked.category_list)
    return locked


def _mark_orphan_status(child: ChildProfile) -> None:
    status = next((REGISTRY_ORPHAN[c] for c in child.category_list if c in REGISTRY_ORPHAN), "")
    person = child.person
    if status and person.orphan_status != status:
        person.orphan_status = status
        person.save(update_fields=["orphan_status"])


def _notice_left(child: ChildProfile, on: dt.date) -> None:
    message = _("%(name)s turned %(age)s and left the left-behind list.") % {
        "name": child.person.name, "age": child.person.age_on(on)}
    Notice.objects.get_or_create(child=child, kind="left_behind_aged_out", created_on=on,
                                 defaults={"area_id": child.area_id, "message": message[:200]})


def sweep_ages(on: dt.date | None = None) -> int:
    """Children who reached an age limit: re-derive their categories; a child who reaches
    ``children.left_behind_age`` leaves the left-behind list, with a notice to the child
    director. Idempotent; run daily (``safetynet children_daily``) and before the children's
    lists are shown. The query takes the lowest limits in force in any area; each child is
    then re-derived with the limits of its own area."""
    on = on or today()
    young_limit = rules.birthday_threshold(on, lowest_in_force(LEFT_BEHIND_AGE, on))
    adult = rules.birthday_threshold(on, lowest_in_force(CHILD_AGE_LIMIT, on))
    candidates = (ChildProfile.objects.filter(active=True)
                  .filter(categories__contains=f",{Category.LEFT_BEHIND},",
                          person__birth_date__lte=young_limit)
                  | ChildProfile.objects.filter(active=True, person__birth_date__lte=adult))
    changed = 0
    for child in candidates.select_related("person__household").distinct():
        changed += _sweep_one(child, on)
    return changed


def _sweep_one(child: ChildProfile, on: dt.date) -> int:
    before = child.category_list
    with transaction.atomic():
        refresh(child, on)
        if child.category_list == before:
            return 0
        child.save()
        if Category.LEFT_BEHIND in before and Category.LEFT_BEHIND not in child.category_list:
            _notice_left(child, on)
        audit.record("children.age_sweep", obj=child, before=before,
                     after=child.category_list)
    return 1


def read_notice(actor: Actor, notice: Notice) -> Notice:
    _require_editor(actor, notice.area_id)
    with transaction.atomic():
        notice.read_by = actor.user
        notice.save(update_fields=["read_by"])
        audit.record("children.notice_read", user=actor, obj=notice)
    return notice
