"""Every state change of elderly care: one function per action, one transaction each, the
audit record written inside it. Bad input raises ValidationError naming the field;
nothing is half-written.

Assessments and home care are here; institutions, modifications, insurance and the
old-age allowance brackets have their own modules (institutions.py, modifications.py,
insurance.py, allowance.py) built the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from safetynet.accounts.capabilities import Capability, role_may
from safetynet.accounts.models import User
from safetynet.benefits.months import add_months, first_of_month, label
from safetynet.core import audit, uploads
from safetynet.core.actor import Actor
from safetynet.core.jurisdiction import covers, user_area_codes
from safetynet.core.models import Area
from safetynet.core.money import to_money
from safetynet.eldercare import ability, compliance, permissions, roster
from safetynet.eldercare.models import (
    Assessment,
    Confirmation,
    Contract,
    ContractPrice,
    Provider,
    ProviderStaff,
    ServiceItem,
    ServiceOrder,
    Statement,
    StatementLine,
    StatementStatus,
    Visit,
    VisitItem,
)
from safetynet.registry import services as registry
from safetynet.registry.models import Person
from safetynet.rules.parameters import parameter_value

ASSESSABLE_AGE = "eldercare.assessment_age"
MAX_QUANTITY = 20
IMAGE_TYPES = frozenset({"image/jpeg", "image/png"})


def today() -> date:
    return timezone.localdate()


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _require_area(actor: Actor | None, area_code: str) -> None:
    if actor is not None and not covers(actor, area_code):
        raise PermissionDenied(_("This record is outside your areas."))


# --- ability assessment ---------------------------------------------------------------------


def record_assessment(actor: Actor, person: Person, *, scores: Mapping[str, Any],
                      assessed_on: date, dementia: bool = False, psychiatric: bool = False,
                      risk_events: int = 0, note: str = "") -> Assessment:
    """Record a completed form; the grade goes into the registry (Person.ability_grade)."""
    _require(permissions.can_assess(actor), _("Your role may not record assessments."))
    _require_area(actor, person.area_id)
    _check_assessed(person, assessed_on, risk_events)
    result = _score(scores, ability.Conditions(dementia, psychiatric, risk_events))
    months = roster.reassessment_months(person.area_id, assessed_on)
    with transaction.atomic():
        assessment = Assessment.objects.create(
            person=person, area_id=person.area_id, assessed_on=assessed_on,
            assessor=actor.user,
            scores={code: int(scores[code]) for code in ability.ITEM_CODES},
            dementia=dementia, psychiatric=psychiatric, risk_events=risk_events,
            self_care_score=result.parts[ability.SELF_CARE],
            motor_score=result.parts[ability.MOTOR], mental_score=result.parts[ability.MENTAL],
            perception_score=result.parts[ability.PERCEPTION], total=result.total,
            preliminary_grade=result.preliminary_grade, grade=result.grade,
            next_due=add_months(assessed_on, months), note=note.strip()[:200])
        if _is_latest(assessment) and person.ability_grade != result.grade:
            registry.set_reason(person, _("ability assessment"))
            registry.update_person(actor, person, {"ability_grade": result.grade})
        audit.record("eldercare.assess", user=actor, obj=assessment,
                     person=person.pk, total=result.total, grade=result.grade)
    return assessment


def _check_assessed(person: Person, assessed_on: date, risk_events: int) -> None:
    if person.deceased_on is not None:
        raise ValidationError({"person": _("%(name)s is recorded as deceased.")
                               % {"name": person.name}})
    if assessed_on > today() or assessed_on < person.birth_date:
        raise ValidationError({"assessed_on": _("The assessment date must be between the "
                                                "birth date and today.")})
    youngest = parameter_value(ASSESSABLE_AGE, person.area_id, assessed_on)
    if person.age_on(assessed_on) < youngest:
        raise ValidationError({"person": _("%(name)s was under %(age)d on the assessment date; "
                                           "the elderly ability assessment is for people "
                                           "aged %(age)d or over.")
                               % {"name": person.name, "age": youngest}})
    if not 0 <= risk_events <= 99:
        raise ValidationError({"risk_events": _("Enter the number of care-risk events, "
                                                "0 to 99.")})


def _score(scores: Mapping[str, Any], conditions: ability.Conditions) -> ability.Result:
    typed: dict[str, int] = {}
    for code, value in scores.items():
        try:
            typed[code] = int(value) if not isinstance(value, bool) else -1
        except (TypeError, ValueError):
            typed[code] = -1
    try:
        return ability.assess(typed, conditions)
    except ability.ScoreError as exc:
        item = ability.BY_CODE.get(exc.field)
        if item is None:
            raise ValidationError({"scores": _("Unknown item %(c)s.") % {"c": exc.field}}) \
                from exc
        raise ValidationError({exc.field: _("%(item)s: choose a score from 0 to %(max)d.")
                               % {"item": item.label, "max": item.max_score}}) from exc


def _is_latest(assessment: Assessment) -> bool:
    newer = (Assessment.objects.filter(person_id=assessment.person_id)
             .filter(Q(assessed_on__gt=assessment.assessed_on)
                     | Q(assessed_on=assessment.assessed_on, pk__gt=assessment.pk)))
    return not newer.exists()


# --- providers and contracts ----------------------------------------------------------------


def create_provider(actor: Actor, *, name: str, credit_code: str, contact_person: str = "",
                    phone: str = "", address: str = "") -> Provider:
    _require(permissions.can_manage(actor), _("Your role may not manage providers."))
    name, credit_code = name.strip(), credit_code.strip().upper()
    if not name:
        raise ValidationError({"name": _("Enter the provider's name.")})
    if len(credit_code) != 18 or not credit_code.isalnum():
        raise ValidationError({"credit_code": _("The unified social credit code has 18 "
                                                "letters and digits.")})
    if Provider.objects.filter(Q(name=name) | Q(credit_code=credit_code)).exists():
        raise ValidationError({"name": _("A provider with this name or credit code exists.")})
    with transaction.atomic():
        provider = Provider.objects.create(name=name, credit_code=credit_code,
                                           contact_person=contact_person.strip()[:40],
                                           phone=phone.strip()[:20], address=address[:200])
        audit.record("eldercare.provider", user=actor, obj=provider)
    return provider


def create_contract(actor: Actor, *, provider: Provider, number: str, starts_on: date,
                    ends_on: date, area_codes: Iterable[str],
                    prices: Mapping[str, Any]) -> Contract:
    """A purchase contract: its period, the townships or villages served, a price per item."""
    _require(permissions.can_manage(actor), _("Your role may not manage providers."))
    number = number.strip()
    if not number:
        raise ValidationError({"number": _("Enter the contract number.")})
    if Contract.objects.filter(number=number).exists():
        raise ValidationError({"number": _("Contract %(n)s exists.") % {"n": number}})
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The contract must end after it starts.")})
    areas = _contract_areas(actor, area_codes)
    clean_prices = _prices(prices)
    with transaction.atomic():
        contract = Contract.objects.create(provider=provider, number=number,
                                           starts_on=starts_on, ends_on=ends_on)
        contract.areas.set(areas)
        ContractPrice.objects.bulk_create(ContractPrice(contract=contract, item=item, price=p)  # type: ignore[misc]
                                          for item, p in clean_prices.items())
        audit.record("eldercare.contract", user=actor, obj=contract,
                     provider=provider.pk, areas=[a.code for a in areas])
    return contract


def _contract_areas(actor: Actor, codes: Iterable[str]) -> list[Area]:
    wanted = sorted({c.strip() for c in codes if c.strip()})
    if not wanted:
        raise ValidationError({"areas": _("Choose at least one township or village served.")})
    areas = list(Area.objects.filter(code__in=wanted).exclude(level="county"))
    missing = sorted(set(wanted) - {a.code for a in areas})
    if missing:
        raise ValidationError({"areas": _("%(c)s is not a township or village code.")
                               % {"c": missing[0]}})
    for area in areas:
        _require_area(actor, area.code)
    return areas


def _prices(prices: Mapping[str, Any]) -> dict[str, Decimal]:
    clean: dict[str, Decimal] = {}
    for item, raw in prices.items():
        if item not in ServiceItem.values:
            raise ValidationError({"prices": _("Unknown service item %(i)s.") % {"i": item}})
        if raw in (None, ""):
            continue
        try:
            price = to_money(raw)
        except (TypeError, ValueError) as exc:
            raise ValidationError({item: _("Enter the price of %(i)s in yuan.")
                                   % {"i": ServiceItem(item).label}}) from exc
        if price <= 0:
            raise ValidationError({item: _("The price of %(i)s must be more than 0 yuan.")
                                   % {"i": ServiceItem(item).label}})
        clean[item] = price
    if not clean:
        raise ValidationError({"prices": _("Give a price for at least one service item.")})
    return clean


def add_staff(actor: Actor, *, provider: Provider, worker: User) -> ProviderStaff:
    """Let a login (role provider) record visits for ``provider``."""
    _require(permissions.can_manage(actor), _("Your role may not manage providers."))
    if not role_may(worker.role, Capability.RECORD_PROVIDER_VISITS):
        raise ValidationError({"worker": _("Only a login with the role “service provider” "
                                           "can record visits.")})
    with transaction.atomic():
        link, _created = ProviderStaff.objects.update_or_create(
            user=worker, defaults={"provider": provider, "active": True})
        audit.record("eldercare.staff", user=actor, obj=link,
                     provider=provider.pk, worker=worker.pk)
    return link


# --- monthly orders -------------------------------------------------------------------------


@dataclass
class OrderRun:
    month: date
    created: int = 0
    existing: int = 0
    unassigned: list[int] = field(default_factory=list)  # person ids with no provider


def generate_orders(actor: Actor | None, *, month: date, area_code: str = "") -> OrderRun:
    """Everyone the rules entitle to home care in ``month``, in ``area_code`` (default: all
    of the actor's areas), gets an order with the provider whose contract serves their
    village that month. Existing orders are kept; a second run adds only the new ones.
    Without an actor (the scheduled run) the whole county is covered."""
    _require(actor is None or permissions.can_manage(actor),
             _("Your role may not create service orders."))
    month = first_of_month(month)
    codes = [area_code] if area_code else user_area_codes(actor) if actor else [""]
    for code in codes:
        _require_area(actor, code)
    run = OrderRun(month)
    people = roster.entitled(codes, month)
    done = set(ServiceOrder.objects.filter(month=month, person_id__in=[p.person_id for p in people])
               .values_list("person_id", flat=True))
    contracts = _contracts_in(month)
    areas = dict(Person.objects.filter(pk__in=[p.person_id for p in people])
                 .values_list("pk", "area__code"))
    new = []
    for person in people:
        if person.person_id in done:
            run.existing += 1
            continue
        contract = _contract_for(contracts, areas[person.person_id])
        if contract is None:
            run.unassigned.append(person.person_id)
            continue
        new.append(ServiceOrder(  # type: ignore[misc]
            month=month, person_id=person.person_id, household_id=person.household_id,
            area_id=areas[person.person_id], provider_id=contract.provider_id,
            contract=contract, entitlement=person.amount,
            created_by=actor.user if actor is not None else None))
    with transaction.atomic():
        ServiceOrder.objects.bulk_create(new, batch_size=2000, ignore_conflicts=True)
        run.created = len(new)
        audit.record("eldercare.orders", user=actor,
                     object_type="eldercare.serviceorder", object_id=label(month),
                     areas=codes, created=run.created, existing=run.existing,
                     unassigned=len(run.unassigned))
    return run


def _contracts_in(month: date) -> list[tuple[str, Contract]]:
    """(area code, contract) of the contracts in force in ``month``, most specific first."""
    last_day = add_months(month, 1)
    contracts = (Contract.objects.filter(starts_on__lt=last_day, ends_on__gte=month,
                                         provider__active=True)
                 .prefetch_related("areas").order_by("starts_on", "pk"))
    pairs = [(area.code, c) for c in contracts for area in c.areas.all()]
    return sorted(pairs, key=lambda pair: -len(pair[0]))


def _contract_for(contracts: list[tuple[str, Contract]], village: str) -> Contract | None:
    return next((c for code, c in contracts if village.startswith(code)), None)


# --- visits ---------------------------------------------------------------------------------


def record_visit(actor: Actor, order: ServiceOrder, *, started_at: datetime,
                 ended_at: datetime, items: Mapping[str, Any], confirmation: str,
                 confirmer_name: str = "", notes: str = "", photo: Any = None) -> Visit:
    """A provider's worker records one visit: times, items, value (from the contract's
    prices), notes, an optional photo and who confirmed it. Implausible records are kept
    but flagged, and do not count."""
    provider = permissions.provider_of(actor)
    if provider is None or provider.pk != order.provider_id:
        raise PermissionDenied(_("Only a worker of the order's provider records its visits."))
    if confirmation not in Confirmation.values:
        raise ValidationError({"confirmation": _("Say who confirmed the visit.")})
    if confirmation != Confirmation.NONE and not confirmer_name.strip():
        raise ValidationError({"confirmer_name": _("Enter the name of who confirmed.")})
    if started_at > timezone.now():
        raise ValidationError({"started_at": _("The check-in time is in the future.")})
    lines = _visit_lines(order, items)
    content_type = uploads.check(photo) if photo else ""
    if content_type and content_type not in IMAGE_TYPES:
        raise ValidationError({"photo": _("The photo must be a JPEG or PNG image.")})
    limits = roster.thresholds(order.area_id, order.month)
    with transaction.atomic():
        visit = Visit(order=order, worker=actor.user, started_at=started_at, ended_at=ended_at,  # type: ignore[misc]
                      value=sum((line.amount for line in lines), Decimal("0.00")),
                      notes=notes.strip()[:300], confirmation=confirmation,
                      confirmer_name=confirmer_name.strip()[:40])
        visit.flags = _own_flags(visit, order, limits)
        saved: list[str] = []
        if photo:
            visit.photo.save(f"visit{uploads.SUFFIXES[content_type]}", photo, save=False)
            saved.append(visit.photo.name)
        with uploads.removed_on_error(saved):
            visit.save()
            for line in lines:
                line.visit = visit
            VisitItem.objects.bulk_create(lines)
            _flag_overlaps(actor.user, visit)
            audit.record("eldercare.visit", user=actor, obj=visit,
                         order=order.pk, minutes=visit.minutes, value=visit.value,
                         flags=visit.flags)
    return visit


def _visit_lines(order: ServiceOrder, items: Mapping[str, Any]) -> list[VisitItem]:
    prices = dict(order.contract.prices.values_list("item", "price"))
    lines = []
    for item, raw in items.items():
        if item not in ServiceItem.values:
            raise ValidationError({"items": _("Unknown service item %(i)s.") % {"i": item}})
        try:
            quantity = int(raw or 0)
        except (TypeError, ValueError) as exc:
            raise ValidationError({"items": _("Enter how many times %(i)s was done.")
                                   % {"i": ServiceItem(item).label}}) from exc
        if quantity == 0:
            continue
        if not 0 < quantity <= MAX_QUANTITY:
            raise ValidationError({"items": _("%(i)s: enter a number from 1 to %(n)d.")
                                   % {"i": ServiceItem(item).label, "n": MAX_QUANTITY}})
        if item not in prices:
            raise ValidationError({"items": _("The contract has no price for %(i)s.")
                                   % {"i": ServiceItem(item).label}})
        lines.append(VisitItem(item=item, quantity=quantity, unit_price=prices[item],
                               amount=prices[item] * quantity))
    if not lines:
        raise ValidationError({"items": _("Choose at least one service item.")})
    return lines


def _own_flags(visit: Visit, order: ServiceOrder, limits: compliance.Thresholds) -> list[str]:
    start, end = timezone.localtime(visit.started_at), timezone.localtime(visit.ended_at)
    deceased_on = Person.objects.filter(pk=order.person_id).values_list(
        "deceased_on", flat=True).first()
    return (compliance.duration_flags(start, end, order.month, limits)
            + compliance.deceased_flag(start.date(), deceased_on))


def _flag_overlaps(worker: User, visit: Visit) -> None:
    """Mark this visit and the worker's visits whose times overlap it."""
    others = list(Visit.objects.filter(worker=worker, voided=False,
                                       started_at__lt=visit.ended_at,
                                       ended_at__gt=visit.started_at).exclude(pk=visit.pk))
    if not others:
        return
    for record in [visit, *others]:
        if compliance.OVERLAP not in record.flags:
            record.flags = [*record.flags, compliance.OVERLAP]
            record.save(update_fields=["flags", "updated_at"])


def void_visit(actor: Actor, visit: Visit, *, reason: str) -> Visit:
    """Take a wrong record out of the count (it stays, marked voided, with the reason)."""
    provider = permissions.provider_of(actor)
    own = provider is not None and provider.pk == visit.order.provider_id
    _require(own or permissions.can_manage(actor), _("You may not void this visit."))
    if not own:
        _require_area(actor, visit.order.area_id)
    if len(reason.strip()) < 2:
        raise ValidationError({"reason": _("Give the reason.")})
    with transaction.atomic():
        visit = Visit.objects.select_for_update().get(pk=visit.pk)
        _require_open_statement(visit.order)
        visit.voided, visit.void_reason = True, reason.strip()[:200]
        visit.save(update_fields=["voided", "void_reason", "updated_at"])
        audit.record("eldercare.visit.void", user=actor, obj=visit,
                     reason=visit.void_reason)
    return visit


def _require_open_statement(order: ServiceOrder) -> None:
    if Statement.objects.filter(provider_id=order.provider_id, month=order.month,
                                status=StatementStatus.APPROVED).exists():
        raise ValidationError(_("The statement of %(m)s is approved: its visits can no longer "
                                "change.") % {"m": label(order.month)})


# --- settlement -----------------------------------------------------------------------------


def visit_facts(visit: Visit) -> compliance.VisitFacts:
    return compliance.VisitFacts(
        visit_id=visit.pk, worker_id=visit.worker_id, person_id=visit.order.person_id,
        started_at=visit.started_at, ended_at=visit.ended_at, value=visit.value,
        confirmed=visit.confirmed, flags=tuple(visit.flags))


def compute_statement(actor: Actor | None, *, provider: Provider, month: date) -> Statement:
    """The provider's statement for ``month``: one line per order, the entitlement paid for
    each compliant month, nothing for the others. Computed again until approved (without an
    actor by the scheduled run)."""
    _require(actor is None or permissions.can_manage(actor),
             _("Your role may not compute statements."))
    month = first_of_month(month)
    orders = list(ServiceOrder.objects.filter(provider=provider, month=month)
                  .prefetch_related("visits").order_by("pk"))
    with transaction.atomic():
        statement, _created = Statement.objects.select_for_update().get_or_create(
            provider=provider, month=month, defaults={"computed_at": timezone.now()})
        if statement.status == StatementStatus.APPROVED:
            raise ValidationError(_("The statement of %(m)s is already approved.")
                                  % {"m": label(month)})
        statement.lines.all().delete()
        lines = [_line(statement, order) for order in orders]
        StatementLine.objects.bulk_create(lines, batch_size=2000)
        statement.orders, statement.compliant = len(lines), sum(1 for x in lines if x.payable)
        statement.amount = sum((x.payable for x in lines), Decimal("0.00"))
        statement.computed_at = timezone.now()
        statement.computed_by = actor.user if actor is not None else None
        statement.save()
        audit.record("eldercare.statement", user=actor, obj=statement,
                     orders=statement.orders, compliant=statement.compliant,
                     amount=statement.amount)
    return statement


def _line(statement: Statement, order: ServiceOrder) -> StatementLine:
    limits = roster.thresholds(order.area_id, order.month)
    facts = [visit_facts(v) for v in order.visits.all() if not v.voided]
    outcome = compliance.month_outcome(facts, order.entitlement, limits)
    return StatementLine(statement=statement, order=order, visits=outcome.visits,  # type: ignore[misc]
                         minutes=outcome.minutes, value=outcome.value,
                         entitlement=order.entitlement, payable=outcome.payable,
                         reasons=list(outcome.reasons))


def approve_statement(actor: Actor, statement: Statement) -> Statement:
    """The county approves the statement; refused when visits changed since it was
    computed, or by the person who computed it."""
    _require(permissions.can_approve(actor), _("Only a county approver approves statements."))
    with transaction.atomic():
        statement = Statement.objects.select_for_update().get(pk=statement.pk)
        if statement.status == StatementStatus.APPROVED:
            raise ValidationError(_("The statement is already approved."))
        if statement.computed_by_id == actor.pk:
            raise PermissionDenied(_("Who computed the statement may not approve it."))
        changed = Visit.objects.filter(order__provider_id=statement.provider_id,
                                       order__month=statement.month,
                                       updated_at__gt=statement.computed_at).exists()
        if changed:
            raise ValidationError(_("Visits were recorded after the statement was computed: "
                                    "compute it again, then approve."))
        statement.status, statement.approved_by = StatementStatus.APPROVED, actor.user
        statement.approved_at = timezone.now()
        statement.save(update_fields=["status", "approved_by", "approved_at"])
        audit.record("eldercare.statement.approve", user=actor, obj=statement,
                     amount=statement.amount)
    return statement

