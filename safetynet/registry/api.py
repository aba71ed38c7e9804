"""Registry endpoints under /api/v1/registry/: parse, call one selector or service, render.

Every record is looked up through the jurisdiction filter, so a household or person
outside the caller's areas answers 404 exactly like one that does not exist. Service
errors (django ValidationError, PermissionDenied) become JSON by the handlers in
safetynet/api.py.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from safetynet.accounts.actor import actor_of
from safetynet.accounts.capabilities import Capability, may
from safetynet.core.actor import Actor
from safetynet.core.jurisdiction import area_q, get_in_scope
from safetynet.core.paging import MAX_PAGE_SIZE, PAGE_SIZE, paged
from safetynet.core.schemas import ErrorsOut
from safetynet.registry import access, selectors, services
from safetynet.registry import schemas as s
from safetynet.registry.models import Household, Person

router = Router(tags=["registry"])

# A search text: an ID number, a phone or household number, or the start of a name.
SEARCH_TEXT = 40
ERRORS: dict[int, type[ErrorsOut]] = {401: ErrorsOut, 403: ErrorsOut, 404: ErrorsOut,
                                         422: ErrorsOut}


def reader(request: HttpRequest) -> Actor:
    """The authenticated caller, if their role may read the registry at all."""
    actor = actor_of(request)
    if not may(actor, Capability.READ_REGISTRY):
        raise PermissionDenied(_("Your role has no access to the registry."))
    return actor


def household_detail(actor: Actor, pk: int) -> Household:
    """The household as every response shows it: members, incomes, assets, expenses.

    Children under 14 are left out for roles that do not work with children; the view is
    audited like the web page's.
    """
    household = selectors.household_detail(actor, pk)
    today = timezone.localdate()
    household.closed_ids = access.closed_ids(actor, household, today)  # type: ignore[attr-defined]
    access.record_household_view(actor, household, today)
    return household


def household_in_scope(actor: Actor, pk: int) -> Household:
    """The household to change (no prefetching), or 404 when outside the actor's areas."""
    return get_in_scope(Household.objects.all(), actor, pk=pk)


def target_household(actor: Actor, pk: int, field: str) -> Household:
    """A household named in a request body: active and inside the caller's areas."""
    found = selectors.households_for(actor).filter(pk=pk, active=True).first()
    if found is None:
        raise ValidationError({field: _("no active household %(id)s in your areas")
                               % {"id": pk}})
    return found


# --- households -----------------------------------------------------------------------


@router.get("/households", response={200: s.HouseholdPageOut, **ERRORS})
def list_households(request: HttpRequest, q: str = Query("", max_length=SEARCH_TEXT),
                    area: str = Query("", max_length=12),
                    page: int = Query(1, ge=1),
                    page_size: int = Query(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)) -> dict[str, Any]:
    """Households in the caller's areas; ``q`` searches like the web UI (name, ID number,
    phone, household number), ``area`` narrows to a township or village code."""
    households = filtered_households(reader(request), q, area)
    return paged(households, page, page_size)


def filtered_households(actor: Actor, q: str, area: str) -> QuerySet[Household]:
    households = selectors.households_for(actor).select_related("area").order_by("number")
    if area:
        households = households.filter(area_q([area]))
    if q.strip():
        found = {person.household_id for person in selectors.search_persons(actor, q)}
        households = households.filter(pk__in=found)
    return households


@router.get("/households/{household_id}", response={200: s.HouseholdDetailOut, **ERRORS})
def get_household(request: HttpRequest, household_id: int) -> Household:
    """One household with every member, their incomes, assets and rigid expenditures."""
    return household_detail(reader(request), household_id)


@router.post("/households", response={201: s.HouseholdDetailOut, **ERRORS})
def create_household(request: HttpRequest, payload: s.HouseholdIn) -> Status[Household]:
    """A new household in a village or community, with its head."""
    actor = reader(request)
    data = payload.model_dump()
    head = data.pop("head")
    household = services.create_household(actor, data, head)
    return Status(201, household_detail(actor, household.pk))


@router.patch("/households/{household_id}", response={200: s.HouseholdDetailOut, **ERRORS})
def update_household(request: HttpRequest, household_id: int,
                     payload: s.HouseholdPatch) -> Household:
    """Change the fields sent; a new ``area_code`` moves the household and its members."""
    actor = reader(request)
    household = household_in_scope(actor, household_id)
    services.update_household(actor, household, payload.model_dump(exclude_unset=True))
    return household_detail(actor, household_id)


@router.post("/households/{household_id}/members", response={201: s.PersonOut, **ERRORS})
def add_member(request: HttpRequest, household_id: int, payload: s.MemberIn) -> Status[Person]:
    actor = reader(request)
    household = household_in_scope(actor, household_id)
    return Status(201, services.add_person(actor, household, payload.model_dump()))


@router.post("/households/{household_id}/split", response={201: s.HouseholdDetailOut, **ERRORS})
def split_household(request: HttpRequest, household_id: int,
                    payload: s.SplitIn) -> Status[Household]:
    """Move the chosen members into a new household; answers with the new household."""
    actor = reader(request)
    household = household_in_scope(actor, household_id)
    new = services.split_household(actor, household, payload.member_ids, payload.head_id,
                                   payload.address)
    return Status(201, household_detail(actor, new.pk))


@router.post("/households/{household_id}/merge", response={200: s.HouseholdDetailOut, **ERRORS})
def merge_household(request: HttpRequest, household_id: int, payload: s.MergeIn) -> Household:
    """Move every member into the target household and dissolve this one; answers with
    the target."""
    actor = reader(request)
    source = household_in_scope(actor, household_id)
    target = target_household(actor, payload.target_household_id, "target_household_id")
    services.merge_households(actor, source, target)
    return household_detail(actor, target.pk)


# --- persons --------------------------------------------------------------------------


@router.get("/persons", response={200: list[s.PersonOut], **ERRORS})
def search_persons(request: HttpRequest,
                   q: str = Query("", max_length=SEARCH_TEXT)) -> list[Person]:
    """Up to 50 persons by ID number, phone, household number or name prefix."""
    return selectors.search_persons(reader(request), q)


@router.patch("/persons/{person_id}", response={200: s.PersonOut, **ERRORS})
def update_person(request: HttpRequest, person_id: int, payload: s.PersonPatch) -> Person:
    actor = reader(request)
    person = selectors.person_in_scope(actor, person_id)
    return services.update_person(actor, person, payload.model_dump(exclude_unset=True))


@router.post("/persons/{person_id}/move", response={200: s.PersonOut, **ERRORS})
def move_person(request: HttpRequest, person_id: int, payload: s.MoveIn) -> Person:
    actor = reader(request)
    person = selectors.person_in_scope(actor, person_id)
    target = target_household(actor, payload.target_household_id, "target_household_id")
    return services.move_person(actor, person, target, payload.relation)


@router.post("/persons/{person_id}/deceased", response={200: s.PersonOut, **ERRORS})
def mark_deceased(request: HttpRequest, person_id: int, payload: s.DeceasedIn) -> Person:
    actor = reader(request)
    person = selectors.person_in_scope(actor, person_id)
    return services.mark_deceased(actor, person, payload.deceased_on)
