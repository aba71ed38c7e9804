"""Elderly-care endpoints under /api/v1/eldercare/: a provider's app lists its orders and
records visits; the county reads a month's compliance; staff read and record ability
assessments, care institutions' admissions and discharges, and age-friendly modification
plans (all inside the caller's areas, with the pages' checks and service functions)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from safetynet.accounts.actor import actor_of
from safetynet.core import audit
from safetynet.core.jurisdiction import area_q, get_in_scope, scope, user_area_codes
from safetynet.core.masking import mask_id, mask_id_numbers
from safetynet.core.paging import MAX_PAGE_SIZE, PAGE_SIZE, paged
from safetynet.core.schemas import (
    Choice,
    ErrorsOut,
    RequestDate,
    RequestDateTime,
    RequestYear,
)
from safetynet.eldercare import (
    ability,
    catalogue,
    institutions,
    modifications,
    permissions,
    selectors,
    services,
)
from safetynet.eldercare.models import (
    Assessment,
    BedType,
    Confirmation,
    Institution,
    InstitutionKind,
    ModificationPlan,
    PlanStatus,
    ServiceOrder,
    Stay,
    StayKind,
)
from safetynet.registry.models import Household, Person
from safetynet.registry.schemas import RequestSchema

router = Router(tags=["eldercare"])


class OrderOut(Schema):
    id: int
    month: dt.date
    person: int
    name: str
    village: str
    provider: int
    entitlement: Decimal


class VisitIn(Schema):
    started_at: RequestDateTime
    ended_at: RequestDateTime
    items: dict[str, int]
    confirmation: Annotated[str, Choice(Confirmation)]
    confirmer_name: str = Field("", max_length=40)
    notes: str = Field("", max_length=300)


class VisitOut(Schema):
    id: int
    order: int
    minutes: int
    value: Decimal
    flags: list[str]


class ComplianceRowOut(Schema):
    order: int
    person: int
    name: str
    village: str
    township: str
    provider: str
    visits: int
    minutes: int
    value: Decimal
    entitlement: Decimal
    compliant: bool
    reasons: list[str]


def _order_out(o: ServiceOrder) -> OrderOut:
    return OrderOut(id=o.pk, month=o.month, person=o.person_id, name=o.person.name,
                    village=o.area.name, provider=o.provider_id, entitlement=o.entitlement)


@router.get("/orders", response=list[OrderOut])
def list_orders(request: HttpRequest, month: RequestDate) -> list[OrderOut]:
    orders = selectors.orders_for(request.user, month.replace(day=1))
    return [_order_out(o) for o in orders.select_related("person", "area")[:2000]]


@router.post("/orders/{order_id}/visits", response={201: VisitOut})
def record_visit(request: HttpRequest, order_id: int, data: VisitIn) -> Status:
    order = selectors.order_for(request.user, order_id)
    visit = services.record_visit(actor_of(request), order, **data.dict())
    return Status(201, VisitOut(id=visit.pk, order=order.pk, minutes=visit.minutes,
                                value=visit.value, flags=list(visit.flags)))


@router.get("/compliance", response=list[ComplianceRowOut])
def compliance(request: HttpRequest, month: RequestDate,
               township: str = Query("", max_length=9),
               shortfall_only: bool = True) -> list[ComplianceRowOut]:
    if not permissions.can_view(request.user):
        raise PermissionDenied(_("Only civil-affairs staff see this page."))
    report = selectors.month_compliance(request.user, month.replace(day=1), township)
    rows = report.shortfalls if shortfall_only else report.rows
    return [ComplianceRowOut(
        order=r.order_id, person=r.person_id, name=r.name, village=r.village,
        township=r.township, provider=r.provider, visits=r.outcome.visits,
        minutes=r.outcome.minutes, value=r.outcome.value, entitlement=r.outcome.entitlement,
        compliant=r.outcome.compliant, reasons=list(r.outcome.reasons)) for r in rows]


# --- shared by the programme endpoints (ability assessments, institutions, modifications) --
# The pages' checks, jurisdiction filter and service functions: a record outside the
# caller's areas answers 404, a role the page refuses answers 403, every change calls the
# one service function the page calls. Persons carry their ID number masked (the pages show
# none at all).

ERRORS: dict[int, type[ErrorsOut]] = {401: ErrorsOut, 403: ErrorsOut, 404: ErrorsOut,
                                      409: ErrorsOut, 422: ErrorsOut}
NO_PHOTO = File(None)  # an optional multipart file (ninja's marker, shared)


def _viewer(request: HttpRequest) -> Any:
    """The caller, if the elderly-care pages are open to their role (``viewer``)."""
    user = request.auth  # type: ignore[attr-defined]
    if not permissions.can_view(user):
        raise PermissionDenied(_("Only civil-affairs staff see this page."))
    return user



class CarePersonOut(Schema):
    id: int
    name: str
    id_number: str = Field(description="masked: 320722********0019")
    area_code: str


def _person_ref(person: Person) -> dict[str, Any]:
    return {"id": person.pk, "name": person.name, "id_number": mask_id(person.id_number),
            "area_code": person.area_id}


def _person_by_id_number(user: Any, id_number: str) -> Person:
    """The person an ID number names, inside the caller's areas (422 on ``id_number``)."""
    number = id_number.strip().upper()
    person = scope(Person.objects.filter(id_number=number), user).first() if number else None
    if person is None:
        raise ValidationError({"id_number": _("No person with this ID number in your areas.")})
    return person


# --- ability assessments --------------------------------------------------------------------


class AssessmentIn(RequestSchema):
    assessed_on: RequestDate
    scores: dict[str, int] = Field(
        description="every item of the form by code (ability.ITEMS), 0 to its maximum")
    dementia: bool = False
    psychiatric: bool = False
    risk_events: int = Field(0, ge=0, le=99)
    note: str = Field("", max_length=200)


class AssessmentOut(Schema):
    id: int
    person: CarePersonOut
    assessed_on: dt.date
    assessor: str
    scores: dict[str, int]
    dementia: bool
    psychiatric: bool
    risk_events: int
    parts: dict[str, int]
    total: int
    preliminary_grade: int
    grade: int
    grade_label: str
    next_due: dt.date
    note: str


class AssessmentPageOut(Schema):
    count: int
    page: int
    page_size: int
    items: list[AssessmentOut]


def _assessment_out(a: Assessment) -> dict[str, Any]:
    return {"id": a.pk, "person": _person_ref(a.person), "assessed_on": a.assessed_on,
            "assessor": str(a.assessor), "scores": a.scores, "dementia": a.dementia,
            "psychiatric": a.psychiatric, "risk_events": a.risk_events,
            "parts": {"self_care": a.self_care_score, "motor": a.motor_score,
                      "mental": a.mental_score, "perception": a.perception_score},
            "total": a.total, "preliminary_grade": a.preliminary_grade, "grade": a.grade,
            "grade_label": str(ability.GRADES.get(a.grade, a.grade)), "next_due": a.next_due,
            "note": mask_id_numbers(a.note)}


@router.get("/assessments", response={200: AssessmentPageOut, **ERRORS})
def list_assessments(request: HttpRequest, person: int | None = None,
                     area: str = Query("", max_length=12),
                     due: bool = False, page: int = Query(1, ge=1),
                     page_size: int = Query(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)
                     ) -> dict[str, Any]:
    """Assessments in the caller's areas, newest first; ``due`` lists, like the page of
    reassessments due, each person's latest assessment whose reassessment is due today."""
    user = _viewer(request)
    if due:
        found = selectors.assessments_due(user, services.today())
    else:
        found = scope(Assessment.objects.select_related("person", "assessor"), user) \
            .order_by("-assessed_on", "-pk")
    if person is not None:
        found = found.filter(person_id=person)
    if area:
        found = found.filter(area_q([area]))
    return paged(found.select_related("assessor"), page, page_size, _assessment_out)


@router.get("/assessments/{assessment_id}", response={200: AssessmentOut, **ERRORS})
def get_assessment(request: HttpRequest, assessment_id: int) -> dict[str, Any]:
    user = _viewer(request)
    found = scope(Assessment.objects.select_related("person", "assessor"), user)
    return _assessment_out(get_in_scope(found, user, pk=assessment_id))


@router.post("/persons/{person_id}/assessments", response={201: AssessmentOut, **ERRORS})
def record_assessment(request: HttpRequest, person_id: int, payload: AssessmentIn) -> Status:
    """Record a completed assessment form; the grade goes into the registry."""
    user = _viewer(request)
    who = selectors.person_for(user, person_id)
    if not permissions.can_assess(user):
        raise PermissionDenied(_("Your role may not record assessments."))
    done = services.record_assessment(actor_of(request), who, **payload.dict())
    return Status(201, _assessment_out(done))


# --- care institutions ----------------------------------------------------------------------


class OccupancyOut(Schema):
    beds: int
    reserved: int
    tekun: int
    social: int
    day_care: int
    rehab: int
    occupied: int
    free: int
    free_for_social: int
    rate: int


class InstitutionOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    area_code: str
    area_name: str
    address: str
    reserved_beds: int
    day_care_places: int
    active: bool
    beds: dict[str, int]
    occupancy: OccupancyOut


class StayOut(Schema):
    id: int
    institution: int
    person: CarePersonOut
    kind: str
    bed_type: str
    admitted_on: dt.date
    discharged_on: dt.date | None
    discharge_reason: str


class InstitutionDetailOut(InstitutionOut):
    residents: list[StayOut]


class InstitutionPageOut(Schema):
    count: int
    page: int
    page_size: int
    items: list[InstitutionOut]


class AdmitIn(RequestSchema):
    id_number: str = Field(max_length=18)
    kind: Annotated[str, Choice(StayKind)] = Field(description="tekun, social, day_care or rehab")
    bed_type: Annotated[str, Choice(BedType, blank=True)] = Field(
        "", description="nursing or ordinary (residents)")
    admitted_on: RequestDate


class DischargeIn(RequestSchema):
    discharged_on: RequestDate
    reason: str = Field(max_length=200)


def _occupancy_out(now: institutions.Occupancy) -> dict[str, Any]:
    return {**dataclasses.asdict(now), "occupied": now.occupied, "free": now.free,
            "free_for_social": now.free_for_social, "rate": now.rate}


def _institution_out(home: Institution) -> dict[str, Any]:
    return {"id": home.pk, "name": home.name, "kind": home.kind,
            "kind_label": home.get_kind_display(), "area_code": home.area_id,
            "area_name": home.area.name, "address": home.address,
            "reserved_beds": home.reserved_beds, "day_care_places": home.day_care_places,
            "active": home.active, "beds": {b.bed_type: b.count for b in home.beds.all()},
            "occupancy": _occupancy_out(institutions.occupancy(home, services.today()))}


def _stay_out(stay: Stay) -> dict[str, Any]:
    return {"id": stay.pk, "institution": stay.institution_id,
            "person": _person_ref(stay.person), "kind": stay.kind, "bed_type": stay.bed_type,
            "admitted_on": stay.admitted_on, "discharged_on": stay.discharged_on,
            "discharge_reason": mask_id_numbers(stay.discharge_reason)}


def _institution_in_scope(user: Any, pk: int) -> Institution:
    return get_in_scope(selectors.institutions_for(user).select_related("area"), user,
                        "area__code", pk=pk)


def _institution_detail(user: Any, home: Institution) -> dict[str, Any]:
    return {**_institution_out(home),
            "residents": [_stay_out(s) for s in selectors.residents(user, home)[:2000]]}


@router.get("/institutions", response={200: InstitutionPageOut, **ERRORS})
def list_institutions(request: HttpRequest, area: str = Query("", max_length=12),
                      kind: Annotated[str, Choice(InstitutionKind, blank=True)] = "",
                      page: int = Query(1, ge=1),
                      page_size: int = Query(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)
                      ) -> dict[str, Any]:
    """Care institutions in the caller's areas with today's occupancy."""
    found = selectors.institutions_for(_viewer(request)).select_related("area")
    if area:
        found = found.filter(area_q([area], "area__code"))
    if kind:
        found = found.filter(kind=kind)
    return paged(found.order_by("name", "pk"), page, page_size, _institution_out)


class InstitutionIn(RequestSchema):
    name: str = Field(max_length=100)
    kind: Annotated[str, Choice(InstitutionKind)] = Field(
        description="regional, welfare_home or private")
    area_code: str = Field(max_length=12,
                           description="the township or village the institution lies in")
    address: str = Field("", max_length=200)
    beds: dict[str, int] = Field(default_factory=dict, description="bed type → number")
    reserved_beds: int = Field(0, ge=0)
    day_care_places: int = Field(0, ge=0)


@router.post("/institutions", response={201: InstitutionDetailOut, **ERRORS})
def create_institution(request: HttpRequest, payload: InstitutionIn) -> Status:
    """A new care institution with its beds (programme managers, in their areas)."""
    user = _viewer(request)
    if not permissions.can_manage(user):
        raise PermissionDenied(_("Your role may not manage the elderly-care programme."))
    home = institutions.create_institution(actor_of(request), **payload.dict())
    return Status(201, _institution_detail(user, _institution_in_scope(user, home.pk)))


@router.get("/institutions/{institution_id}", response={200: InstitutionDetailOut, **ERRORS})
def get_institution(request: HttpRequest, institution_id: int) -> dict[str, Any]:
    """One institution, its occupancy and its current residents (those in your areas)."""
    user = _viewer(request)
    return _institution_detail(user, _institution_in_scope(user, institution_id))


@router.post("/institutions/{institution_id}/admissions", response={201: StayOut, **ERRORS})
def admit(request: HttpRequest, institution_id: int, payload: AdmitIn) -> Status:
    """Admit a resident, or register a day-care or rehabilitation user, by ID number."""
    user = _viewer(request)
    home = _institution_in_scope(user, institution_id)
    if not permissions.can_manage(user):
        raise PermissionDenied(_("Your role may not manage care institutions."))
    person = _person_by_id_number(user, payload.id_number)
    stay = institutions.admit(actor_of(request), home, person, kind=payload.kind,
                              bed_type=payload.bed_type, admitted_on=payload.admitted_on)
    return Status(201, _stay_out(stay))


@router.post("/stays/{stay_id}/discharge", response={200: StayOut, **ERRORS})
def discharge(request: HttpRequest, stay_id: int, payload: DischargeIn) -> dict[str, Any]:
    user = _viewer(request)
    stay = get_in_scope(Stay.objects.select_related("person", "institution"), user, pk=stay_id)
    done = institutions.discharge(actor_of(request), stay, discharged_on=payload.discharged_on,
                                  reason=payload.reason)
    return _stay_out(done)


# --- age-friendly home modifications --------------------------------------------------------


class PlanItemOut(Schema):
    code: str
    label: str
    quantity: int
    unit_price: Decimal
    amount: Decimal
    government_paid: bool


class PlanOut(Schema):
    id: int
    year: int
    status: str
    status_label: str
    household_id: int
    household_number: str
    area_code: str
    person: CarePersonOut
    application_id: int | None
    eligibility: str
    contractor: str
    government_cost: Decimal
    own_cost: Decimal
    started_on: dt.date | None
    accepted_on: dt.date | None
    acceptance_note: str
    before_photo: bool
    after_photo: bool


class PlanDetailOut(PlanOut):
    items: list[PlanItemOut]


class PlanPageOut(Schema):
    count: int
    page: int
    page_size: int
    items: list[PlanOut]


class ModificationProgressOut(Schema):
    year: int
    target: int
    done_before: int
    done: int
    in_work: int
    planned: int
    percent: int
    done_total: int


class PlanIn(RequestSchema):
    person_id: int = Field(description="the elderly member the plan is for")
    items: dict[str, int] = Field(description="catalogue code → quantity")
    contractor: str = Field("", max_length=100)


def _plan_out(plan: ModificationPlan) -> dict[str, Any]:
    return {"id": plan.pk, "year": plan.year, "status": plan.status,
            "status_label": plan.get_status_display(), "household_id": plan.household_id,
            "household_number": plan.household.number, "area_code": plan.area_id,
            "person": _person_ref(plan.person), "application_id": plan.application_id,
            "eligibility": plan.eligibility, "contractor": plan.contractor,
            "government_cost": plan.government_cost, "own_cost": plan.own_cost,
            "started_on": plan.started_on, "accepted_on": plan.accepted_on,
            "acceptance_note": mask_id_numbers(plan.acceptance_note),
            "before_photo": bool(plan.before_photo), "after_photo": bool(plan.after_photo)}


def _plan_detail(plan: ModificationPlan) -> dict[str, Any]:
    items = [{"code": line.code, "label": str(getattr(catalogue.BY_CODE.get(line.code),
                                                      "label", line.code)),
              "quantity": line.quantity, "unit_price": line.unit_price, "amount": line.amount,
              "government_paid": line.government_paid} for line in plan.items.all()]
    return {**_plan_out(plan), "items": items}


def _plan_manager(request: HttpRequest, plan_id: int) -> tuple[Any, ModificationPlan]:
    user = _viewer(request)
    plan = selectors.plan_for(user, plan_id)
    if not permissions.can_manage(user):
        raise PermissionDenied(_("Your role may not manage modification plans."))
    return user, plan


@router.get("/modifications", response={200: PlanPageOut, **ERRORS})
def list_plans(request: HttpRequest, year: RequestYear | None = None,
               status: Annotated[str, Choice(PlanStatus, blank=True)] = "",
               area: str = Query("", max_length=12), page: int = Query(1, ge=1),
               page_size: int = Query(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)) -> dict[str, Any]:
    """The year's plans (this year by default) in the caller's areas."""
    found = selectors.plans_for(_viewer(request), year or services.today().year)
    if status:
        found = found.filter(status=status)
    if area:
        found = found.filter(area_q([area]))
    return paged(found.order_by("area_id", "pk"), page, page_size, _plan_out)


@router.get("/modifications/progress", response={200: ModificationProgressOut, **ERRORS})
def plan_progress(request: HttpRequest, year: RequestYear | None = None) -> dict[str, Any]:
    """The year's plans in the caller's areas against the county's yearly target."""
    user = _viewer(request)
    county = next(iter(user_area_codes(user)), "")[:6]
    done = modifications.progress(user, year or services.today().year, county)
    return {**dataclasses.asdict(done), "percent": done.percent, "done_total": done.done_total}


@router.get("/modifications/{plan_id}", response={200: PlanDetailOut, **ERRORS})
def get_plan(request: HttpRequest, plan_id: int) -> dict[str, Any]:
    return _plan_detail(selectors.plan_for(_viewer(request), plan_id))


@router.get("/modifications/{plan_id}/photos/{which}",
            response={403: ErrorsOut, 404: ErrorsOut})
def plan_photo(request: HttpRequest, plan_id: int,
               which: Annotated[str, Choice(("before", "after"))]) -> HttpResponseBase:
    """The photo ``before`` or ``after`` the work (audited), as the plan page serves it."""
    plan = selectors.plan_for(_viewer(request), plan_id)
    photo = {"before": plan.before_photo, "after": plan.after_photo}.get(which)
    if not photo:
        raise Http404
    audit.record("eldercare.photo.view", request=request, obj=plan, which=which)
    return FileResponse(photo.open("rb"))


@router.post("/households/{household_id}/modifications",
             response={201: PlanDetailOut, **ERRORS})
def create_plan(request: HttpRequest, household_id: int, payload: PlanIn) -> Status:
    """Agree a household's plan (with its approved modification application, if any)."""
    user = _viewer(request)
    home = get_in_scope(Household.objects.select_related("area"), user, pk=household_id)
    if not permissions.can_manage(user):
        raise PermissionDenied(_("Your role may not manage modification plans."))
    person = home.members.filter(pk=payload.person_id).first()
    if person is None:
        raise ValidationError({"person_id": _("Not a member of this household.")})
    plan = modifications.create_plan(
        actor_of(request), home, person, items=payload.items, contractor=payload.contractor,
        application=modifications.approved_application(home))
    return Status(201, _plan_detail(selectors.plan_for(user, plan.pk)))


@router.post("/modifications/{plan_id}/start", response={200: PlanDetailOut, **ERRORS})
def start_work(request: HttpRequest, plan_id: int,
               contractor: Form[Annotated[str, Field(max_length=100)]],
               started_on: Form[RequestDate],
               before_photo: UploadedFile | None = NO_PHOTO) -> dict[str, Any]:
    """The contractor starts (multipart: ``contractor``, ``started_on``, ``before_photo``)."""
    user, plan = _plan_manager(request, plan_id)
    modifications.start_work(actor_of(request), plan, contractor=contractor, started_on=started_on,
                             before_photo=before_photo)
    return _plan_detail(selectors.plan_for(user, plan_id))


@router.post("/modifications/{plan_id}/accept", response={200: PlanDetailOut, **ERRORS})
def accept_work(request: HttpRequest, plan_id: int, accepted_on: Form[RequestDate],
                note: Form[Annotated[str, Field(max_length=300)]],
                after_photo: UploadedFile | None = NO_PHOTO
                ) -> dict[str, Any]:
    """The acceptance check (multipart: ``accepted_on``, ``note``, ``after_photo``)."""
    user, plan = _plan_manager(request, plan_id)
    modifications.accept(actor_of(request), plan, accepted_on=accepted_on, note=note,
                         after_photo=after_photo)
    return _plan_detail(selectors.plan_for(user, plan_id))
