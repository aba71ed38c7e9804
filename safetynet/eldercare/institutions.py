"""Care institutions and regional centres: beds by type, admission and discharge as
service actions, and occupancy over time.

Beds go to centralised extreme-poverty support first: an institution keeps
``reserved_beds`` for it, and a social elderly person is admitted only onto a bed that is
neither occupied nor reserved. Day-care and rehabilitation users use no bed. Admitting or
discharging someone in centralised support updates Person.in_institution through the
registry's services, so the rules see it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from safetynet.benefits.months import add_months
from safetynet.core import audit
from safetynet.core.actor import Actor
from safetynet.core.jurisdiction import covers
from safetynet.core.models import Area
from safetynet.eldercare import permissions
from safetynet.eldercare.models import (
    RESIDENT_KINDS,
    Beds,
    BedType,
    Institution,
    InstitutionKind,
    Stay,
    StayKind,
)
from safetynet.eldercare.services import today
from safetynet.registry import services as registry
from safetynet.registry.models import Person


def _require_manager(actor: Actor, area_code: str) -> None:
    if not permissions.can_manage(actor):
        raise PermissionDenied(_("Your role may not manage care institutions."))
    if not covers(actor, area_code):
        raise PermissionDenied(_("This record is outside your areas."))


def create_institution(actor: Actor, *, name: str, kind: str, area_code: str,
                       beds: Mapping[str, int], reserved_beds: int = 0,
                       day_care_places: int = 0, address: str = "") -> Institution:
    _require_manager(actor, area_code)
    if not name.strip():
        raise ValidationError({"name": _("Enter the institution's name.")})
    if kind not in InstitutionKind.values:
        raise ValidationError({"kind": _("Choose the type of institution.")})
    area = Area.objects.filter(code=area_code).exclude(level="county").first()
    if area is None:
        raise ValidationError({"area": _("%(c)s is not a township or village code.")
                               % {"c": area_code}})
    counts = {k: int(v) for k, v in beds.items() if int(v or 0) > 0}
    if any(k not in BedType.values for k in counts) or any(v < 0 for v in beds.values()):
        raise ValidationError({"beds": _("Give the number of beds of each type.")})
    if reserved_beds > sum(counts.values()):
        raise ValidationError({"reserved_beds": _("More beds reserved than the institution "
                                                  "has.")})
    with transaction.atomic():
        try:
            institution = Institution.objects.create(
                name=name.strip(), kind=kind, area=area, address=address[:200],
                reserved_beds=reserved_beds, day_care_places=day_care_places)
        except IntegrityError as exc:
            raise ValidationError({"name": _("An institution with this name exists.")}) from exc
        Beds.objects.bulk_create(Beds(institution=institution, bed_type=k, count=v)
                                 for k, v in counts.items())
        audit.record("eldercare.institution", user=actor, obj=institution)
    return institution


@dataclass(frozen=True)
class Occupancy:
    beds: int
    reserved: int
    tekun: int
    social: int
    day_care: int
    rehab: int

    @property
    def occupied(self) -> int:
        return self.tekun + self.social

    @property
    def free(self) -> int:
        return max(0, self.beds - self.occupied)

    @property
    def free_for_social(self) -> int:
        """Beds a social elderly person may take: free beds not kept for tekun support."""
        return max(0, self.free - max(0, self.reserved - self.tekun))

    @property
    def rate(self) -> int:
        return round(100 * self.occupied / self.beds) if self.beds else 0


def stays_on(institution: Institution, day: date) -> QuerySet[Stay]:
    return institution.stays.filter(admitted_on__lte=day).filter(
        Q(discharged_on__isnull=True) | Q(discharged_on__gt=day))


def occupancy(institution: Institution, day: date) -> Occupancy:
    counts = {kind: 0 for kind in StayKind.values}
    for kind in stays_on(institution, day).values_list("kind", flat=True):
        counts[kind] += 1
    beds = sum(b.count for b in institution.beds.all())
    return Occupancy(beds, institution.reserved_beds, counts[StayKind.TEKUN],
                     counts[StayKind.SOCIAL], counts[StayKind.DAY_CARE], counts[StayKind.REHAB])


def occupancy_by_month(institution: Institution, last: date, months: int = 12
                       ) -> list[tuple[date, Occupancy]]:
    """Occupancy on the last day of each of the ``months`` months up to ``last``."""
    first = add_months(last.replace(day=1), -(months - 1))
    ends = [add_months(first, i + 1) - timedelta(days=1) for i in range(months)]
    return [(end, occupancy(institution, min(end, today()))) for end in ends]


def admit(actor: Actor, institution: Institution, person: Person, *, kind: str,
          admitted_on: date, bed_type: str = "") -> Stay:
    """Admit a resident (tekun first, social elderly only onto spare beds) or register a
    day-care or rehabilitation user."""
    _require_manager(actor, person.area_id)
    _check_admission(institution, person, kind, admitted_on, bed_type)
    with transaction.atomic():
        try:
            stay = Stay.objects.create(institution=institution, person=person,
                                       area_id=person.area_id, kind=kind,
                                       bed_type=bed_type if kind in RESIDENT_KINDS else "",
                                       admitted_on=admitted_on, admitted_by=actor.user)
        except IntegrityError as exc:
            raise ValidationError({"person": _("%(name)s already stays in an institution.")
                                   % {"name": person.name}}) from exc
        if kind == StayKind.TEKUN and not person.in_institution:
            registry.set_reason(person, _("admitted to %(i)s") % {"i": institution.name})
            registry.update_person(actor, person, {"in_institution": True})
        audit.record("eldercare.admit", user=actor, obj=stay,
                     institution=institution.pk, kind=kind)
    return stay


def _check_admission(institution: Institution, person: Person, kind: str, on: date,
                     bed_type: str) -> None:
    if kind not in StayKind.values:
        raise ValidationError({"kind": _("Choose the type of stay.")})
    if person.deceased_on is not None:
        raise ValidationError({"person": _("%(name)s is recorded as deceased.")
                               % {"name": person.name}})
    if on > today():
        raise ValidationError({"admitted_on": _("The admission date is in the future.")})
    if Stay.objects.filter(person=person, discharged_on__isnull=True).exists():
        raise ValidationError({"person": _("%(name)s already stays in an institution.")
                               % {"name": person.name}})
    if kind not in RESIDENT_KINDS:
        return
    if bed_type not in BedType.values:
        raise ValidationError({"bed_type": _("Choose the bed type.")})
    now = occupancy(institution, on)
    free = now.free if kind == StayKind.TEKUN else now.free_for_social
    if free <= 0:
        raise ValidationError({"kind": _("No bed free for this admission: %(o)d of %(b)d "
                                         "beds occupied, %(r)d kept for extreme-poverty "
                                         "support.") % {"o": now.occupied, "b": now.beds,
                                                        "r": now.reserved}})


def discharge(actor: Actor, stay: Stay, *, discharged_on: date, reason: str) -> Stay:
    _require_manager(actor, stay.area_id)
    if len(reason.strip()) < 2:
        raise ValidationError({"reason": _("Give the reason.")})
    if discharged_on < stay.admitted_on or discharged_on > today():
        raise ValidationError({"discharged_on": _("The discharge date must be between the "
                                                  "admission and today.")})
    with transaction.atomic():
        stay = Stay.objects.select_for_update().select_related("person").get(pk=stay.pk)
        if stay.discharged_on is not None:
            raise ValidationError(_("Already discharged."))
        stay.discharged_on, stay.discharge_reason = discharged_on, reason.strip()[:200]
        stay.discharged_by = actor.user
        stay.save(update_fields=["discharged_on", "discharge_reason", "discharged_by"])
        person = stay.person
        if stay.kind == StayKind.TEKUN and person.in_institution and person.alive:
            registry.set_reason(person, _("discharged"))
            registry.update_person(actor, person, {"in_institution": False})
        audit.record("eldercare.discharge", user=actor, obj=stay,
                     reason=stay.discharge_reason)
    return stay
