"""Age-friendly home modifications ("one household, one plan").

Eligibility comes from the policy engine: an elderly person (60+, ``eldercare.elderly_age``)
who is very old (80+, ``eldercare.very_old_age``), disabled or not fully able to care for
themselves, in dispersed extreme-poverty support, a dibao household or a registered
low-income household. The household applies voluntarily (an intake application of kind
"modification"; once approved it allows a plan); the plan is chosen from the 30-item
catalogue, the 7 basic items paid by the government and the others by the household; the
contractor works, photos before and after are kept, the acceptance check closes the plan;
progress is counted against the year's target (parameter eldercare.modification_target).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from safetynet.benefits.amounts import household_amounts
from safetynet.core import audit, uploads
from safetynet.core.actor import Actor
from safetynet.core.jurisdiction import area_q, covers, user_area_codes
from safetynet.eldercare import catalogue, permissions
from safetynet.eldercare.models import ModificationPlan, PlanItem, PlanStatus
from safetynet.eldercare.services import IMAGE_TYPES, today
from safetynet.intake.models import Application, Kind, State
from safetynet.registry import choices as c
from safetynet.registry.models import Household, Person
from safetynet.rules.parameters import current_parameters, parameter_value
from safetynet.rules.selectors import household_benefits

ELDERLY_AGE, VERY_OLD_AGE = "eldercare.elderly_age", "eldercare.very_old_age"
CARE_GRADE = "need.care_ability_grade"  # needs care in daily living from this grade
MAX_QUANTITY = 50


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    reason: str


def eligibility(person: Person, on: date | None = None) -> Eligibility:
    """Whether ``person`` may have their home modified, and why (in words)."""
    day = on or today()
    age = person.age_on(day)
    elderly = parameter_value(ELDERLY_AGE, person.area_id, day)
    if person.deceased_on is not None or age < elderly:
        return Eligibility(False, _("aged under %(n)d") % {"n": elderly})
    needs = _needs(person, age, parameter_value(VERY_OLD_AGE, person.area_id, day),
                   parameter_value(CARE_GRADE, person.area_id, day))
    if not needs:
        return Eligibility(False, _("not very old, disabled or in need of care"))
    group = _supported_group(person, day)
    if not group:
        return Eligibility(False, _("not in dispersed extreme-poverty support, a dibao or a "
                                    "low-income household"))
    return Eligibility(True, f"{needs}；{group}")


def _needs(person: Person, age: int, very_old: int, care_grade: int) -> str:
    if age >= very_old:
        return _("aged %(n)d") % {"n": age}
    if person.disability_grade:
        return _("disability grade %(g)d") % {"g": person.disability_grade}
    if person.self_care != c.SelfCare.FULL or (person.ability_grade or 0) >= care_grade:
        return _("needs care in daily living")
    return ""


def _supported_group(person: Person, day: date) -> str:
    household = person.household
    amounts = household_amounts(household, day.replace(day=1))
    programmes = {(a.program, a.person_id) for a in amounts}
    if ("tekun_basic", person.pk) in programmes and not person.in_institution:
        return _("dispersed extreme-poverty support")
    if ("dibao", None) in programmes or ("dibao", person.pk) in programmes:
        return _("dibao household")
    categories = {cat.name for cat in household_benefits(household, on=day.replace(day=1))
                  .categories}
    if "low_income" in categories:
        return _("low-income household")
    return ""


def create_plan(actor: Actor, household: Household, person: Person, *,
                items: Mapping[str, Any], application: Any = None,
                contractor: str = "") -> ModificationPlan:
    """Agree one household's plan: the items and quantities chosen, the costs split."""
    _require_manager(actor, household.area_id)
    if person.household_id != household.pk:
        raise ValidationError({"person": _("%(name)s is not a member of household %(n)s.")
                               % {"name": person.name, "n": household.number}})
    _check_application(application, household)
    found = eligibility(person)
    if not found.eligible:
        raise ValidationError({"person": _("%(name)s is not eligible: %(why)s.")
                               % {"name": person.name, "why": found.reason}})
    lines = _plan_lines(items, catalogue.prices(household.area_id, today()))
    with transaction.atomic():
        try:
            plan = ModificationPlan.objects.create(  # type: ignore[misc]
                household=household, person=person, area_id=household.area_id,
                year=today().year, application_id=getattr(application, "pk", None),
                eligibility=found.reason[:300], contractor=contractor.strip()[:100],
                government_cost=sum((x.amount for x in lines if x.government_paid),
                                    Decimal("0.00")),
                own_cost=sum((x.amount for x in lines if not x.government_paid),
                             Decimal("0.00")),
                created_by=actor.user)
        except IntegrityError as exc:
            raise ValidationError({"household": _("Household %(n)s already has a plan: one "
                                                  "household, one plan.")
                                   % {"n": household.number}}) from exc
        for line in lines:
            line.plan = plan
        PlanItem.objects.bulk_create(lines)
        audit.record("eldercare.plan", user=actor, obj=plan,
                     household=household.pk, government=plan.government_cost,
                     own=plan.own_cost)
    return plan


def approved_application(household: Household) -> Application | None:
    """The household's latest approved modification application (the single window's), or
    None: the voluntary application that allows a plan."""
    return (Application.objects.filter(household=household, kind=Kind.MODIFICATION,
                                       state=State.APPROVED).order_by("-pk").first())


def _require_manager(actor: Actor, area_code: str) -> None:
    if not permissions.can_manage(actor):
        raise PermissionDenied(_("Your role may not manage modification plans."))
    if not covers(actor, area_code):
        raise PermissionDenied(_("This record is outside your areas."))


def _check_application(application: Any, household: Household) -> None:
    if application is None:
        return
    if (application.kind != "modification" or application.household_id != household.pk
            or application.state != "approved"):
        raise ValidationError({"application": _("Application %(n)s is not an approved "
                                                "modification application of this "
                                                "household.") % {"n": application.number}})


def _plan_lines(items: Mapping[str, Any], prices: Mapping[str, Decimal]) -> list[PlanItem]:
    lines = []
    for code, raw in items.items():
        item = catalogue.BY_CODE.get(code)
        if item is None:
            raise ValidationError({"items": _("%(c)s is not in the catalogue.") % {"c": code}})
        try:
            quantity = int(raw or 0)
        except (TypeError, ValueError) as exc:
            raise ValidationError({code: _("%(i)s: enter a whole number.")
                                   % {"i": item.label}}) from exc
        if quantity == 0:
            continue
        if not 0 < quantity <= MAX_QUANTITY:
            raise ValidationError({code: _("%(i)s: enter a quantity from 1 to %(n)d.")
                                   % {"i": item.label, "n": MAX_QUANTITY}})
        price = prices[code]
        lines.append(PlanItem(code=code, quantity=quantity, unit_price=price,  # type: ignore[misc]
                              amount=price * quantity, government_paid=item.basic))
    if not lines:
        raise ValidationError({"items": _("Choose at least one catalogue item.")})
    return lines


def _photo(upload: Any, plan: ModificationPlan, field_name: str) -> list[str]:
    if not upload:
        return []
    content_type = uploads.check(upload)
    if content_type not in IMAGE_TYPES:
        raise ValidationError({field_name: _("The photo must be a JPEG or PNG image.")})
    getattr(plan, field_name).save(f"home{uploads.SUFFIXES[content_type]}", upload, save=False)
    return [getattr(plan, field_name).name]


def start_work(actor: Actor, plan: ModificationPlan, *, contractor: str, started_on: date,
               before_photo: Any = None) -> ModificationPlan:
    _require_manager(actor, plan.area_id)
    if plan.status != PlanStatus.PLANNED:
        raise ValidationError(_("Work can start only on an agreed plan."))
    if not contractor.strip():
        raise ValidationError({"contractor": _("Enter the contractor.")})
    if started_on > today():
        raise ValidationError({"started_on": _("The start date is in the future.")})
    with transaction.atomic():
        saved = _photo(before_photo, plan, "before_photo")
        with uploads.removed_on_error(saved):
            plan.status, plan.contractor = PlanStatus.IN_WORK, contractor.strip()[:100]
            plan.started_on = started_on
            plan.save()
            audit.record("eldercare.plan.start", user=actor, obj=plan)
    return plan


def accept(actor: Actor, plan: ModificationPlan, *, accepted_on: date, note: str,
           after_photo: Any = None) -> ModificationPlan:
    """The acceptance check: the work is done as planned; the home counts as modified."""
    _require_manager(actor, plan.area_id)
    if plan.status != PlanStatus.IN_WORK:
        raise ValidationError(_("Only work under way can be accepted."))
    if not note.strip():
        raise ValidationError({"note": _("Say what the acceptance check found.")})
    if plan.started_on and (accepted_on < plan.started_on or accepted_on > today()):
        raise ValidationError({"accepted_on": _("The acceptance date must be between the "
                                                "start of work and today.")})
    if not after_photo and not plan.after_photo:
        raise ValidationError({"after_photo": _("Add a photo of the finished work.")})
    with transaction.atomic():
        saved = _photo(after_photo, plan, "after_photo")
        with uploads.removed_on_error(saved):
            plan.status, plan.accepted_on = PlanStatus.DONE, accepted_on
            plan.accepted_by = actor.user
            plan.acceptance_note = note.strip()[:300]
            plan.save()
            audit.record("eldercare.plan.accept", user=actor, obj=plan)
    return plan


@dataclass(frozen=True)
class Progress:
    year: int
    target: int
    done_before: int
    done: int
    in_work: int
    planned: int

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.done / self.target)) if self.target else 0

    @property
    def done_total(self) -> int:
        return self.done_before + self.done


def progress(user: Any, year: int, county_code: str) -> Progress:
    """The year's plans in the user's areas against the county's yearly target."""
    value = current_parameters()["eldercare.modification_target"].for_area(
        county_code, date(year, 12, 31))
    numbers = value.value if value is not None and isinstance(value.value, dict) else {}
    plans = ModificationPlan.objects.filter(area_q(user_area_codes(user), "area__code"),
                                            year=year)
    counts = {s: plans.filter(status=s).count() for s in PlanStatus.values}
    return Progress(year, int(numbers.get("yearly", 0)), int(numbers.get("done_before", 0)),
                    counts[PlanStatus.DONE], counts[PlanStatus.IN_WORK],
                    counts[PlanStatus.PLANNED])
