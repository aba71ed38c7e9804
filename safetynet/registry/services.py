"""Every change to the registry: one function per action, one transaction each."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safetynet.accounts.capabilities import Capability, may
from safetynet.core import audit
from safetynet.core.actor import Actor
from safetynet.core.jurisdiction import covers
from safetynet.core.models import Area
from safetynet.registry import access
from safetynet.registry import choices as c
from safetynet.registry.models import (
    Asset,
    DuplicateFlag,
    Household,
    IncomeItem,
    Person,
    RigidExpense,
)
from safetynet.registry.validation import clean_bank_account, clean_person

HOUSEHOLD_FIELDS = ("hukou", "address", "phone", "bank_name", "bank_account")
PERSON_FIELDS = (
    "name", "id_number", "sex", "birth_date", "relation", "phone", "marital_status",
    "education", "employment", "disability_category", "disability_grade", "serious_illness",
    "health_notes", "self_care", "ability_grade", "full_time_student", "no_able_supporter",
    "orphan_status", "in_institution", "not_counted",
)


def set_reason(record: Any, reason: str) -> None:
    """The reason django-simple-history stores with the record's next change."""
    record._change_reason = reason


def require_editor(actor: Actor, area_code: str) -> None:
    if not may(actor, Capability.EDIT_REGISTRY) or not covers(actor, area_code):
        raise PermissionDenied(_("You may not change records in this area."))


def _village(area_code: str) -> Area:
    area = Area.objects.filter(code=area_code, level="village").first()
    if area is None:
        raise ValidationError({"area": _("%(c)s is not a village or community code")
                               % {"c": area_code}})
    return area


def next_household_number(area: Area) -> str:
    last = (Household.objects.filter(number__startswith=area.code)
            .order_by("-number").values_list("number", flat=True).first())
    sequence = int(last[len(area.code):]) + 1 if last else 1
    return f"{area.code}{sequence:05d}"


def _pick(data: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k in fields}


def _person_defaults(data: dict[str, Any]) -> dict[str, Any]:
    text_fields = ("phone", "marital_status", "education", "employment", "disability_category",
                   "health_notes", "orphan_status", "not_counted")
    return {**data, **{f: data.get(f) or "" for f in text_fields},
            "self_care": data.get("self_care") or c.SelfCare.FULL}


def flag_likely_duplicates(person: Person) -> list[DuplicateFlag]:
    """Same name, birth date and village, where either lacks an ID number."""
    twins = (Person.objects.filter(name=person.name, birth_date=person.birth_date,
                                   area=person.area).exclude(pk=person.pk))
    if person.id_number:
        twins = twins.filter(id_number__isnull=True)
    reason = _("same name, birth date and village")
    return [DuplicateFlag.objects.create(person=person, candidate=twin, area=person.area,
                                         reason=reason) for twin in twins]


@transaction.atomic
def create_household(actor: Actor, household: dict[str, Any], head: dict[str, Any]) -> Household:
    area = _village(household.get("area_code", ""))
    require_editor(actor, area.code)
    fields = {f: household.get(f) or "" for f in HOUSEHOLD_FIELDS}
    fields["bank_account"] = clean_bank_account(fields["bank_account"])
    record = Household.objects.create(number=next_household_number(area), area=area, **fields)
    add_person(actor, record, {**head, "relation": c.Relation.HEAD})
    return record


@transaction.atomic
def update_household(actor: Actor, household: Household, changes: dict[str, Any]) -> Household:
    require_editor(actor, household.area_id)
    for field, value in _pick(changes, HOUSEHOLD_FIELDS).items():
        setattr(household, field, value or "")
    if "bank_account" in changes:
        household.bank_account = clean_bank_account(household.bank_account)
    if "area_code" in changes and changes["area_code"] != household.area_id:
        household.area = _village(changes["area_code"])
        require_editor(actor, household.area_id)
        household.members.update(area=household.area)
    household.full_clean(exclude=["number"])
    household.save()
    return household


@transaction.atomic
def add_person(actor: Actor, household: Household, data: dict[str, Any]) -> Person:
    require_editor(actor, household.area_id)
    cleaned = _person_defaults(clean_person(_pick(data, PERSON_FIELDS), actor=actor))
    person = Person.objects.create(household=household, area=household.area, **cleaned)
    flag_likely_duplicates(person)
    return person


@transaction.atomic
def update_person(actor: Actor, person: Person, changes: dict[str, Any]) -> Person:
    require_editor(actor, person.area_id)
    access.require_open(actor, person, timezone.localdate())
    current = {f: getattr(person, f) for f in PERSON_FIELDS}
    cleaned = _person_defaults(clean_person({**current, **_pick(changes, PERSON_FIELDS)},
                                            exclude_pk=person.pk, actor=actor))
    for field, value in cleaned.items():
        setattr(person, field, value)
    person.save()
    return person


@transaction.atomic
def move_person(actor: Actor, person: Person, target: Household, relation: str) -> Person:
    require_editor(actor, person.area_id)
    access.require_open(actor, person, timezone.localdate())
    require_editor(actor, target.area_id)
    if person.relation == c.Relation.HEAD and person.household.members.count() > 1:
        raise ValidationError({"relation": _(
            "Choose a new head for household %(hh)s before moving its head"
        ) % {"hh": person.household.number}})
    person.household, person.area, person.relation = target, target.area, relation
    set_reason(person, _("moved to household %(n)s") % {"n": target.number})
    person.save()
    return person


@transaction.atomic
def split_household(actor: Actor, household: Household, member_ids: list[int], head_id: int,
                    address: str = "") -> Household:
    """Move the chosen members into a new household in the same village."""
    require_editor(actor, household.area_id)
    members = list(household.members.filter(pk__in=member_ids, deceased_on__isnull=True))
    if not members or head_id not in member_ids or len(members) != len(set(member_ids)):
        raise ValidationError({"members": _("choose living members of this household, "
                                            "including the new head")})
    if household.members.exclude(pk__in=member_ids).filter(deceased_on__isnull=True).count() == 0:
        raise ValidationError({"members": _("at least one member must stay")})
    new = Household.objects.create(
        number=next_household_number(household.area), area=household.area,
        hukou=household.hukou, address=address or household.address, phone=household.phone)
    for person in members:
        person.household = new
        person.relation = c.Relation.HEAD if person.pk == head_id else person.relation
        set_reason(person, _("split from household %(n)s") % {"n": household.number})
        person.save()
    _ensure_head(household)
    return new


def _ensure_head(household: Household) -> None:
    living = household.members.filter(deceased_on__isnull=True)
    if living.exists() and not living.filter(relation=c.Relation.HEAD).exists():
        raise ValidationError({"relation": _(
            "household %(hh)s would have no head: choose a new head first"
        ) % {"hh": household.number}})


@transaction.atomic
def merge_households(actor: Actor, source: Household, target: Household) -> Household:
    """Move every member of ``source`` into ``target`` and dissolve ``source``."""
    require_editor(actor, source.area_id)
    require_editor(actor, target.area_id)
    if source.pk == target.pk or not source.active:
        raise ValidationError({"target": _("choose another, active household")})
    for person in source.members.all():
        person.household, person.area = target, target.area
        if person.relation == c.Relation.HEAD:
            person.relation = c.Relation.OTHER
        set_reason(person, _("merged into household %(n)s") % {"n": target.number})
        person.save()
    source.active = False
    source.dissolved_reason = _("merged into household %(n)s") % {"n": target.number}
    source.save()
    return target


@transaction.atomic
def mark_deceased(actor: Actor, person: Person, on: date) -> Person:
    require_editor(actor, person.area_id)
    access.require_open(actor, person, timezone.localdate())
    if on > date.today() or on < person.birth_date:
        raise ValidationError({"deceased_on": _("date of death must be between birth and today")})
    person.deceased_on = on
    set_reason(person, _("marked deceased"))
    person.save()
    return person


@transaction.atomic
def resolve_duplicate(actor: Actor, flag: DuplicateFlag, status: str) -> DuplicateFlag:
    require_editor(actor, flag.area_id)
    if status not in (DuplicateFlag.DISTINCT, DuplicateFlag.MERGED):
        raise ValidationError({"status": _("choose 'different persons' or 'merged'")})
    flag.status, flag.resolved_by = status, actor.user
    flag.save()
    return flag


def _owner_household(item: IncomeItem | Asset | RigidExpense) -> Household:
    return item.person.household if isinstance(item, IncomeItem) else item.household


@transaction.atomic
def add_means_item(actor: Actor, household: Household,
                   item: IncomeItem | Asset | RigidExpense) -> IncomeItem | Asset | RigidExpense:
    """Record an income item (of a member), an asset or a rigid expenditure."""
    require_editor(actor, household.area_id)
    if isinstance(item, IncomeItem):
        if item.person.household_id != household.pk or not item.person.alive:
            raise ValidationError({"person": _("choose a living member of this household")})
        access.require_open(actor, item.person, timezone.localdate())
    else:
        item.household = household
    amount = item.value if isinstance(item, Asset) else item.monthly_amount
    if amount is None or amount < 0:
        field = "value" if isinstance(item, Asset) else "monthly_amount"
        raise ValidationError({field: _("enter an amount of 0 or more")})
    item.full_clean()
    item.save()
    return item


MIN_REASON = 2


@transaction.atomic
def remove_means_item(actor: Actor, item: IncomeItem | Asset | RigidExpense,
                      reason: str) -> Household:
    """Remove a wrong or ended item, saying why: its history keeps what it was, who removed
    it and the reason (shown in the household's history), and the removal is audited."""
    household = _owner_household(item)
    require_editor(actor, household.area_id)
    if isinstance(item, IncomeItem):
        access.require_open(actor, item.person, timezone.localdate())
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON:
        raise ValidationError({"reason": _("Say why this item is removed (e.g. entered by "
                                           "mistake, the income ended).")})
    described = str(item)
    set_reason(item, reason[:100])
    item.delete()
    audit.record("registry_means_removed", user=actor, obj=household,
                 item=f"{item._meta.model_name}", description=described, reason=reason[:200])
    return household
