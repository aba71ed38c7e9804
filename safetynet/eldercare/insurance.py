"""Insurance rosters: accident insurance for supported elderly (people aged 60+ in
extreme-poverty support) and liability insurance for care institutions (per bed).

Who is covered is a list of covers, each with the date it starts and, when someone leaves
(death, move, discharge), the date it ends: the changes during the year. A cover added
during the policy year pays the premium for the days left, to the cent.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from safetynet.benefits.models import LIVE_STATUSES, Enrollment
from safetynet.core import audit
from safetynet.core.actor import Actor
from safetynet.core.jurisdiction import area_q, covers
from safetynet.core.models import Area
from safetynet.core.money import CENT, from_fen, to_money
from safetynet.eldercare import permissions
from safetynet.eldercare.models import Cover, Institution, InsuranceKind, InsurancePolicy
from safetynet.eldercare.roster import ELDERLY_AGE, years_before
from safetynet.registry.models import Person
from safetynet.rules.parameters import current_parameters, parameter_value

SUPPORTED_PROGRAMS = ("tekun_basic",)


def _require_manager(actor: Actor | None, area_code: str) -> None:
    """``None`` is the system (command line, demo); a person needs the role and the area."""
    if actor is None:
        return
    if not permissions.can_manage(actor):
        raise PermissionDenied(_("Your role may not manage insurance rosters."))
    if not covers(actor, area_code):
        raise PermissionDenied(_("This record is outside your areas."))


def pro_rata(premium: Decimal, units: int, starts_on: date, ends_on: date, on: date) -> Decimal:
    """The premium of ``units`` covered from ``on`` to the end of the policy."""
    days = (ends_on - starts_on).days + 1
    left = (ends_on - max(on, starts_on)).days + 1
    share = premium * units * Decimal(max(0, left)) / Decimal(days)
    return share.quantize(CENT, rounding=ROUND_HALF_UP)


def create_policy(actor: Actor | None, *, kind: str, insurer: str, number: str,
                  starts_on: date, ends_on: date, area_code: str,
                  premium: Any = None) -> InsurancePolicy:
    _require_manager(actor, area_code)
    if kind not in InsuranceKind.values:
        raise ValidationError({"kind": _("Choose the type of insurance.")})
    if not insurer.strip() or not number.strip():
        raise ValidationError({"insurer": _("Enter the insurer and the policy number.")})
    if InsurancePolicy.objects.filter(number=number.strip()).exists():
        raise ValidationError({"number": _("Policy %(n)s exists.") % {"n": number}})
    if ends_on <= starts_on:
        raise ValidationError({"ends_on": _("The policy must end after it starts.")})
    try:
        money = to_money(premium) if premium not in (None, "") else _premium(kind, area_code,
                                                                               starts_on)
    except (TypeError, ValueError) as exc:
        raise ValidationError({"premium": _("Enter the premium in yuan.")}) from exc
    area = Area.objects.filter(code=area_code).first()
    if area is None:
        raise ValidationError({"area": _("%(c)s is not an area code.") % {"c": area_code}})
    with transaction.atomic():
        policy = InsurancePolicy.objects.create(  # type: ignore[misc]
            kind=kind, insurer=insurer.strip()[:100], number=number.strip()[:40],
            starts_on=starts_on, ends_on=ends_on, premium=money, area=area)
        audit.record("eldercare.policy", user=actor, obj=policy)
    return policy


def _premium(kind: str, area_code: str, on: date) -> Decimal:
    """The yearly premium in force (parameter eldercare.insurance_premium)."""
    value = current_parameters()["eldercare.insurance_premium"].for_area(area_code, on)
    key = "accident" if kind == InsuranceKind.ACCIDENT else "liability_per_bed"
    if value is None or not isinstance(value.value, dict):
        raise ValueError("no premium in force")
    return from_fen(value.value[key])


def _check_date(policy: InsurancePolicy, on: date, field: str) -> None:
    if not policy.starts_on <= on <= policy.ends_on:
        raise ValidationError({field: _("The date must fall within the policy period "
                                        "%(a)s – %(b)s.") % {"a": policy.starts_on,
                                                             "b": policy.ends_on}})


def add_cover(actor: Actor | None, policy: InsurancePolicy, *, on: date,
              person: Person | None = None, institution: Institution | None = None,
              note: str = "") -> Cover:
    _check_date(policy, on, "added_on")
    if policy.kind == InsuranceKind.ACCIDENT:
        if person is None:
            raise ValidationError({"person": _("Choose the person to insure.")})
        area_code, units = person.area_id, 1
        open_ = policy.covers.filter(person=person, removed_on__isnull=True)
    else:
        if institution is None:
            raise ValidationError({"institution": _("Choose the institution to insure.")})
        area_code = institution.area_id
        units = sum(b.count for b in institution.beds.all()) or 1
        open_ = policy.covers.filter(institution=institution, removed_on__isnull=True)
    _require_manager(actor, area_code)
    if open_.exists():
        raise ValidationError({"person": _("Already covered by this policy.")})
    with transaction.atomic():
        cover = Cover.objects.create(  # type: ignore[misc]
            policy=policy, person=person, institution=institution, area_id=area_code,
            units=units, added_on=on, note=note[:200],
            premium=pro_rata(policy.premium, units, policy.starts_on, policy.ends_on, on))
        audit.record("eldercare.cover.add", user=actor, obj=cover)
    return cover


def remove_cover(actor: Actor | None, cover: Cover, *, on: date, note: str) -> Cover:
    """The person or institution leaves the roster from the day after ``on``."""
    _require_manager(actor, cover.area_id)
    _check_date(cover.policy, on, "removed_on")
    if cover.removed_on is not None:
        raise ValidationError(_("This cover has already ended."))
    if on < cover.added_on:
        raise ValidationError({"removed_on": _("The cover cannot end before it started.")})
    if not note.strip():
        raise ValidationError({"note": _("Say why the cover ends (death, moved, discharged…).")})
    with transaction.atomic():
        cover.removed_on, cover.note = on, f"{cover.note} {note.strip()}".strip()[:200]
        cover.save(update_fields=["removed_on", "note"])
        audit.record("eldercare.cover.remove", user=actor, obj=cover)
    return cover


def supported_elderly(area_code: str, on: date) -> QuerySet[Person]:
    """Living people aged ``eldercare.elderly_age`` (60) or more on ``on`` with
    extreme-poverty support in force."""
    elderly = parameter_value(ELDERLY_AGE, area_code, on)
    enrolled = Enrollment.objects.filter(program__in=SUPPORTED_PROGRAMS,
                                         status__in=LIVE_STATUSES,
                                         person__isnull=False).values("person_id")
    return Person.objects.filter(area_q([area_code]), pk__in=enrolled, deceased_on__isnull=True,
                                 birth_date__lte=years_before(on, elderly))


def _end_deceased(policy: InsurancePolicy) -> None:
    """Covers of people recorded as deceased end on the date of death."""
    for cover in policy.covers.filter(removed_on__isnull=True, person__deceased_on__isnull=False
                                      ).select_related("person"):
        assert cover.person is not None and cover.person.deceased_on is not None
        cover.removed_on = max(cover.added_on, min(cover.person.deceased_on, policy.ends_on))
        cover.note = f"{cover.note} {_('died')}".strip()[:200]
        cover.save(update_fields=["removed_on", "note"])


def fill_roster(actor: Actor | None, policy: InsurancePolicy, *, on: date) -> int:
    """Cover everyone the policy should cover and does not yet: the supported elderly of
    its area (accident; covers of people who died end on the date of death) or its area's
    active institutions (liability). Returns how many were added."""
    _require_manager(actor, policy.area_id)
    _check_date(policy, on, "added_on")
    if policy.kind == InsuranceKind.ACCIDENT:
        _end_deceased(policy)
        covered = policy.covers.filter(removed_on__isnull=True).values("person_id")
        people = supported_elderly(policy.area_id, on).exclude(pk__in=covered)
        new = [Cover(policy=policy, person=p, area_id=p.area_id, units=1, added_on=on,  # type: ignore[misc]
                     premium=pro_rata(policy.premium, 1, policy.starts_on, policy.ends_on, on))
               for p in people]
    else:
        insured = policy.covers.filter(removed_on__isnull=True).values("institution_id")
        homes = (Institution.objects.filter(area_q([policy.area_id], "area__code"), active=True)
                 .exclude(pk__in=insured).prefetch_related("beds"))
        new = []
        for home in homes:
            units = sum(b.count for b in home.beds.all()) or 1
            new.append(Cover(policy=policy, institution=home, area_id=home.area_id,  # type: ignore[misc]
                             units=units, added_on=on, premium=pro_rata(
                                 policy.premium, units, policy.starts_on, policy.ends_on, on)))
    with transaction.atomic():
        Cover.objects.bulk_create(new, batch_size=2000)
        audit.record("eldercare.roster.fill", user=actor, obj=policy,
                     added=len(new))
    return len(new)
