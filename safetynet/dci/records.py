"""Registry persons and households as DCI records (Member, Group), masked for a partner.

The same rules as the UI: ID numbers masked (320722********0019) unless the partner was
granted them in full, phones masked, bank accounts never sent, and children under 14
(``registry.access.can_open``) never described: a group counts them but lists no detail.
Only the field groups granted to the partner are filled in.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from safetynet.benefits.models import LIVE_STATUSES, Enrollment
from safetynet.core.masking import mask_id, mask_phone
from safetynet.dci.models import FieldGroup, Partner
from safetynet.registry.access import can_open
from safetynet.registry.models import Household, Person

SEX = {"M": "male", "F": "female"}
CONTEXT = "https://schema.spdci.org/extensions/social/v1/"


def id_value(partner: Partner, value: str | None) -> str:
    return (value or "") if partner.grants(FieldGroup.ID_NUMBER_FULL) else mask_id(value)


def programmes_of(persons: Iterable[Person]) -> dict[int, list[dict[str, Any]]]:
    """Live enrolments per person (their own and their household's), in one query."""
    people = list(persons)
    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    if not people:
        return found
    by_household: dict[int, list[int]] = defaultdict(list)
    for person in people:
        by_household[person.household_id].append(person.pk)
    rows = Enrollment.objects.filter(status__in=LIVE_STATUSES,
                                     household_id__in=list(by_household)).order_by("pk")
    for row in rows.values("program", "status", "start_month", "person_id", "household_id"):
        entry = {"programme_identifier": row["program"], "enrolment_status": row["status"],
                 "enrolment_date": row["start_month"].isoformat()}
        owners = [row["person_id"]] if row["person_id"] else by_household[row["household_id"]]
        for pk in owners:
            if pk in by_household[row["household_id"]]:
                found[pk].append(entry)
    return found


def member(person: Person, partner: Partner, programmes: dict[int, list[dict[str, Any]]],
           ) -> dict[str, Any]:
    """One person as a spdci Member; only what the partner's field groups allow."""
    record: dict[str, Any] = {"@type": "Member", "@id": f"urn:safetynet:person:{person.pk}"}
    demographic: dict[str, Any] = {"@type": "SRPerson"}
    if partner.grants(FieldGroup.ID_NUMBER) and person.id_number:
        identifier = [{"@type": "Identifier", "identifier_type": "NationalID",
                       "identifier_value": id_value(partner, person.id_number)}]
        record["member_identifier"] = identifier
        demographic["identifier"] = identifier
    if partner.grants(FieldGroup.IDENTITY):
        demographic["name"] = {"@type": "Name", "surname": person.name[:1],
                               "given_name": person.name[1:]}
        demographic["sex"] = SEX.get(person.sex, "")
        demographic["birth_date"] = person.birth_date.isoformat()
    if partner.grants(FieldGroup.CONTACT):
        demographic["address"] = {"@type": "Address",
                                  "street_address": person.household.address,
                                  "postal_code": "", "country": "CN"}
        demographic["phone_number"] = mask_phone(person.phone)
    if partner.grants(FieldGroup.VITAL):
        demographic["death_date"] = person.deceased_on.isoformat() if person.deceased_on \
            else ""
    record["demographic_info"] = demographic
    record.update(_member_facts(person, partner, programmes))
    record["registration_date"] = person.created_at.isoformat()
    return record


def _member_facts(person: Person, partner: Partner,
                  programmes: dict[int, list[dict[str, Any]]]) -> dict[str, Any]:
    facts: dict[str, Any] = {"area_code": person.area_id}
    if partner.grants(FieldGroup.HOUSEHOLD):
        facts["group_identifier"] = person.household.number
        facts["relationship_head"] = person.relation
    if partner.grants(FieldGroup.SOCIAL):
        facts |= {"marital_status": person.marital_status,
                  "education_level": person.education,
                  "employment_status": person.employment}
    if partner.grants(FieldGroup.DISABILITY):
        facts["is_disabled"] = bool(person.disability_category)
        facts["disability_info"] = [{"disability_type": person.disability_category,
                                     "functional_severity": person.disability_grade}] \
            if person.disability_category else []
    if partner.grants(FieldGroup.ASSISTANCE):
        facts["programme_identifier"] = programmes.get(person.pk, [])
    return facts


def group(household: Household, partner: Partner, today: date,
          programmes: dict[int, list[dict[str, Any]]]) -> dict[str, Any]:
    """One household as a spdci Group: its open members listed, children under 14 counted."""
    members = list(household.members.all())
    listed = [p for p in members if can_open(partner, p, today)]
    record: dict[str, Any] = {
        "@context": {"spdci": CONTEXT}, "@type": "spdci:Group",
        "@id": f"urn:safetynet:household:{household.pk}",
        "area_code": household.area_id, "group_size": len(members),
    }
    if partner.grants(FieldGroup.HOUSEHOLD):
        record["group_identifier"] = [{"@type": "Identifier",
                                       "identifier_type": "household_number",
                                       "identifier_value": household.number}]
        record["group_type"] = household.hukou
        record["active"] = household.active
        record["member_list"] = [member(p, partner, programmes) for p in listed]
        head = next((p for p in listed if p.relation == "head"), None)
        if head is not None:
            record["group_head_info"] = member(head, partner, programmes)
    if partner.grants(FieldGroup.CONTACT):
        record["place"] = {"@type": "Place", "address": household.address}
    record["additional_attributes"] = [{"members_under_14_not_listed":
                                        len(members) - len(listed)}]
    record["registration_date"] = household.created_at.isoformat()
    return record
