"""Checks of person and household data shared by forms, the API and Excel import."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from safetynet.core import bankcards, idnumber
from safetynet.core.actor import Actor
from safetynet.core.jurisdiction import covers
from safetynet.registry.models import Person


def check_id_number(data: dict[str, Any]) -> None:
    """Normalise data['id_number'], fill or cross-check birth date and sex; raise per field."""
    raw = (data.get("id_number") or "").strip()
    if not raw:
        data["id_number"] = None
        return
    try:
        parsed = idnumber.parse(raw)
    except idnumber.IdNumberError as exc:
        raise ValidationError(
            {"id_number": _("ID number %(v)s: %(e)s") % {"v": raw, "e": exc}}) from exc
    data["id_number"] = parsed.value
    errors: dict[str, str] = {}
    typed_birth = data.get("birth_date")
    if typed_birth and typed_birth != parsed.birth_date:
        errors["birth_date"] = _("birth date %(typed)s does not match the ID number (%(id)s)") % {
            "typed": typed_birth.isoformat(), "id": parsed.birth_date.isoformat()}
    typed_sex = data.get("sex")
    if typed_sex and typed_sex != parsed.sex:
        errors["sex"] = _("sex does not match the ID number (17th digit)")
    if errors:
        raise ValidationError(errors)
    data["birth_date"], data["sex"] = parsed.birth_date, parsed.sex


def check_not_registered(id_number: str | None, exclude_pk: int | None = None,
                         actor: Actor | None = None) -> None:
    """An ID number exists once: name the person and household that already hold it.

    Outside the actor's areas the holder is not named, only that one exists.
    """
    if not id_number:
        return
    others = Person.objects.select_related("household").filter(id_number=id_number)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    existing = others.first()
    if existing is not None and actor is not None and not covers(actor, existing.area_id):
        raise ValidationError({"id_number": _(
            "ID number %(v)s is already registered in another area; ask the county bureau"
        ) % {"v": id_number}})
    if existing is not None:
        raise ValidationError({"id_number": _(
            "ID number %(v)s is already registered: %(name)s, household %(hh)s"
        ) % {"v": id_number, "name": existing.name, "hh": existing.household.number}})


def check_person_fields(data: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    if not (data.get("name") or "").strip():
        errors["name"] = _("name is required")
    if not data.get("birth_date"):
        errors["birth_date"] = _("birth date is required (or enter an ID number)")
    elif data["birth_date"] > date.today():
        errors["birth_date"] = _("birth date is in the future")
    if not data.get("sex"):
        errors["sex"] = _("sex is required (or enter an ID number)")
    grade, category = data.get("disability_grade"), data.get("disability_category")
    if bool(grade) != bool(category):
        errors["disability_grade"] = _("a disability needs both a category and a grade")
    if errors:
        raise ValidationError(errors)


def clean_person(data: dict[str, Any], exclude_pk: int | None = None,
                 actor: Actor | None = None) -> dict[str, Any]:
    """Run every person check; return the normalised data."""
    data = dict(data)
    check_id_number(data)
    check_person_fields(data)
    check_not_registered(data["id_number"], exclude_pk, actor)
    data["name"] = data["name"].strip()
    return data


def clean_bank_account(value: str | None) -> str:
    """The benefit card account normalised, or a field error naming what is wrong
    (core.bankcards: digits only, 12 to 19 of them, Luhn check digit)."""
    try:
        return bankcards.check(value)
    except bankcards.BankCardError as exc:
        raise ValidationError({"bank_account": str(exc)}) from exc
