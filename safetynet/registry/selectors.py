"""Read-side queries of the registry; all personal data passes the jurisdiction filter."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db.models import Field, Model, Prefetch, QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from safetynet.core import idnumber, masking
from safetynet.core.fields import BlindIndexField
from safetynet.core.jurisdiction import get_in_scope, scope
from safetynet.core.models import Area
from safetynet.registry.models import Asset, Household, IncomeItem, Person, RigidExpense

SEARCH_LIMIT = 50


def households_for(user: Any) -> QuerySet[Household]:
    return scope(Household.objects.all(), user)


def persons_for(user: Any) -> QuerySet[Person]:
    return scope(Person.objects.all(), user)


def search_persons(user: Any, text: str, limit: int = SEARCH_LIMIT) -> list[Person]:
    """Find persons by ID number, phone, household number or name prefix."""
    text = text.strip()
    if not text:
        return []
    base = persons_for(user).select_related("household", "area")
    compact = text.replace(" ", "")
    if idnumber.looks_like_id_number(compact):
        query = base.filter(id_number=compact.upper())
    elif re.fullmatch(r"1\d{10}", compact):
        query = base.filter(pk__in=_phone_matches(compact))
    elif re.fullmatch(r"\d{13,17}", compact):
        query = base.filter(household__number=compact)
    else:
        # Ordered by village and name so PostgreSQL can walk the (area, name) prefix index.
        return list(base.filter(name__startswith=text).order_by("area_id", "name", "pk")[:limit])
    return list(query.order_by("household__number", "pk")[:limit])


def _phone_matches(phone: str) -> set[int]:
    """Persons whose own or household phone matches: two blind-index look-ups, no scan."""
    ids = set(Person.objects.filter(phone=phone).values_list("pk", flat=True))
    return ids | set(Person.objects.filter(household__phone=phone).values_list("pk", flat=True))


def household_detail(user: Any, pk: int) -> Household:
    """One household with everyone in it, in a fixed number of queries."""
    members = Prefetch(
        "members",
        queryset=Person.objects.order_by("deceased_on", "birth_date").prefetch_related("incomes"),
    )
    queryset = (Household.objects.select_related("area__parent")
                .prefetch_related(members, "assets", "rigid_expenses"))
    return get_in_scope(queryset, user, pk=pk)


def person_in_scope(user: Any, pk: int) -> Person:
    return get_in_scope(Person.objects.select_related("household"), user, pk=pk)


@dataclass
class Change:
    when: Any
    who: Any
    kind: str  # "+" created, "~" changed, "-" removed
    label: str
    reason: str
    fields: list[tuple[str, Any, Any]]


def household_history(household: Household, limit: int = 50,
                      hidden: set[int] | None = None) -> list[Change]:
    """Changes to the household, its members and their incomes, assets and expenditures,
    newest first: who, when, old → new, and the reason (e.g. why an income was removed).

    Five queries whatever the household size; diffs are computed in memory. Internal
    fields (blind indexes, ids) are never shown; the field names are the models' verbose
    names, in the reader's language.
    """
    members = {p.pk: p.name for p in household.members.all() if p.pk not in (hidden or set())}
    rows = list(household.history.select_related("history_user").order_by("history_date"))
    rows += list(Person.history.filter(id__in=list(members)).select_related("history_user")
                 .order_by("history_date"))
    rows += list(IncomeItem.history.filter(person_id__in=list(members))
                 .select_related("history_user").order_by("history_date"))
    for model in (Asset, RigidExpense):
        rows += list(model.history.filter(household_id=household.pk)  # type: ignore[attr-defined]
                     .select_related("history_user").order_by("history_date"))
    return sorted(_changes(rows, members), key=lambda c: c.when, reverse=True)[:limit]


def _label(row: Any, members: dict[int, str]) -> str:
    model = row.instance_type
    if model in (Household, Person):
        return str(getattr(row, "name", None) or getattr(row, "number", ""))
    amount = row.value if model is Asset else row.monthly_amount
    owner = f" · {members.get(row.person_id, '')}" if model is IncomeItem else ""
    return f"{model._meta.verbose_name}: {row.get_kind_display()} {amount}{owner}"


def _changes(rows: list[Any], members: dict[int, str] | None = None) -> list[Change]:
    previous: dict[tuple[type, int], Any] = {}
    changes = []
    for row in sorted(rows, key=lambda r: r.history_date):
        key = (type(row), row.id)
        before = previous.get(key)
        fields = _diff(before, row) if before is not None and row.history_type == "~" else []
        changes.append(Change(row.history_date, row.history_user, row.history_type,
                              _label(row, members or {}), row.history_change_reason or "",
                              fields))
        previous[key] = row
    return changes


def shown_fields(model: type[Model]) -> list[Field[Any, Any]]:
    """The fields a history shows: never a blind index, an id or another internal field."""
    return [f for f in model._meta.fields if f.name not in HISTORY_SKIP
            and f.editable and not isinstance(f, BlindIndexField)]


def _diff(before: Any, after: Any) -> list[tuple[str, Any, Any]]:
    return [(capfirst(str(f.verbose_name)), _shown(f, getattr(before, f.attname)),
             _shown(f, getattr(after, f.attname)))
            for f in shown_fields(after.instance_type)
            if getattr(before, f.attname) != getattr(after, f.attname)]


def _shown(field: Field[Any, Any], value: Any) -> Any:
    mask = MASKED_FIELDS.get(field.name)
    if mask and value:
        return mask(value)
    if field.is_relation and value not in (None, ""):
        return _related_label(field, value)
    if field.choices and value not in (None, ""):
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return value


def _related_label(field: Field[Any, Any], value: Any) -> Any:
    """A household by its number, an area by its name and code: never an internal id."""
    model = field.related_model
    if model is Household:
        return Household.objects.filter(pk=value).values_list("number", flat=True).first() \
            or value
    if model is Area:
        name = Area.objects.filter(code=value).values_list("name", flat=True).first()
        return f"{name} ({value})" if name else value
    if model is Person:
        return Person.objects.filter(pk=value).values_list("name", flat=True).first() or value
    return value


MASKED_FIELDS = {"id_number": masking.mask_id, "phone": masking.mask_phone,
                 "bank_account": masking.mask_card}


HISTORY_SKIP = {"id", "created_at"}
