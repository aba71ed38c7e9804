"""Registry events for subscribers, taken from what the registry already records.

* death and move: a person's change history (django-simple-history) shows ``deceased_on``
  set, or ``household`` changed (moved, split off, merged);
* enrolment and exit: the enrolment's own history events (enrolled; terminated or gradual
  exit started), for the person enrolled or every living member of an enrolled household.

Each event is written inside the change's transaction with one notification per matching
subscription (unique per subscription and event: told once), keyed by person so the worker
delivers one person's events in order. Nothing is written while nobody subscribes to the
kind, and nothing about a child under 14.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_save
from django.utils import timezone
from simple_history.signals import post_create_historical_record

from safetynet.benefits.models import EnrollmentEvent
from safetynet.benefits.models import EventKind as EnrolmentEventKind
from safetynet.core.jurisdiction import scope
from safetynet.dci import delivery, jobs, queries, records
from safetynet.dci.messages import REG_TYPE, callback_header, now_iso
from safetynet.dci.models import EventKind, RegistryEvent, Subscription
from safetynet.dci.spec import VERSION
from safetynet.registry.models import Household, Person

ENROLMENT_KINDS = {EnrolmentEventKind.ENROLLED: EventKind.ENROLMENT,
                   EnrolmentEventKind.TERMINATED: EventKind.EXIT,
                   EnrolmentEventKind.GRADUAL_EXIT: EventKind.EXIT}


def connect() -> None:
    post_create_historical_record.connect(on_person_history, sender=Person.history.model,
                                          dispatch_uid="dci_person_history")
    post_save.connect(on_enrolment_event, sender=EnrollmentEvent,
                      dispatch_uid="dci_enrolment_event")


def _subscribed(kind: str) -> bool:
    return Subscription.objects.filter(event_kind=kind, active=True).exists()


def on_person_history(sender: Any, instance: Person, history_instance: Any,
                      **kwargs: Any) -> None:
    if not Subscription.objects.filter(active=True, event_kind__in=(
            EventKind.DEATH, EventKind.MOVE)).exists():
        return
    previous = history_instance.prev_record
    if previous is None:
        return
    if previous.deceased_on is None and instance.deceased_on is not None:
        emit(EventKind.DEATH, instance, {"death_date": instance.deceased_on.isoformat()})
    if previous.household_id != instance.household_id:
        emit(EventKind.MOVE, instance, {"from_household": _number(previous.household_id),
                                        "to_household": instance.household.number})


def _number(household_id: int) -> str:
    return str(Household.objects.filter(pk=household_id)
               .values_list("number", flat=True).first() or "")


def on_enrolment_event(sender: Any, instance: EnrollmentEvent, created: bool,
                       **kwargs: Any) -> None:
    kind = ENROLMENT_KINDS.get(instance.kind)  # type: ignore[call-overload]
    if not created or kind is None or not _subscribed(kind):
        return
    enrolment = instance.enrollment
    persons = [enrolment.person] if enrolment.person is not None else list(
        enrolment.household.members.filter(deceased_on__isnull=True))
    detail = {"programme": enrolment.program, "status": enrolment.status,
              "month": instance.effective_month.isoformat(), "enrolment_event": instance.kind}
    for person in persons:
        if person is not None:
            emit(kind, person, detail)


def emit(kind: str, person: Person, detail: dict[str, Any]) -> RegistryEvent | None:
    """Record the event and a notification for each subscription it matches."""
    today = timezone.localdate()
    if not queries.adults(Person.objects.filter(pk=person.pk), today).exists():
        return None
    event = RegistryEvent.objects.create(kind=kind, person=person,
                                         household_id=person.household_id,
                                         area_code=person.area_id, detail=detail)
    partners: set[int] = set()
    for subscription in (Subscription.objects.filter(event_kind=kind, active=True,
                                                     partner__active=True)
                         .select_related("partner", "transaction").order_by("pk")):
        if _matches(subscription, person, today):
            _notify(subscription, event, person)
            partners.add(subscription.partner_id)
    for partner_id in partners:
        jobs.deliver_soon(partner_id)
    return event


def _matches(subscription: Subscription, person: Person, today: Any) -> bool:
    try:
        condition = queries.build(subscription.filter_type, subscription.filter,
                                  subscription.partner, today)
    except queries.QueryError:  # the partner's scope narrowed since it subscribed
        return False
    found = scope(Person.objects.filter(pk=person.pk), subscription.partner)
    return found.filter(condition).exists()


def _notify(subscription: Subscription, event: RegistryEvent, person: Person) -> None:
    partner = subscription.partner
    record = records.member(person, partner, records.programmes_of([person]))
    record["event"] = {"type": event.kind, **event.detail}
    data: dict[str, Any] = {"version": VERSION, "reg_type": REG_TYPE,
                            "reg_record_type": "Member", "reg_records": record}
    if event.kind == EventKind.MOVE:
        data["reg_event_type"] = "NewHouseHoldMember"
    message = {"transaction_id": subscription.transaction.transaction_id,
               "notify_event": [{"reference_id": f"event-{event.pk}",
                                 "timestamp": now_iso(), "data": data}]}
    payload = {"header": callback_header("notify", partner, "succ", 1, 1),
               "message": message}
    url = f"{partner.callback_url.rstrip('/')}/registry/notify"
    with transaction.atomic():
        delivery.queue(partner, "notify", url, payload, order_key=f"person:{person.pk}",
                       subscription=subscription, event=event)
