"""Division codes: county (6 digits) → township (9) → village/community (12)."""

from __future__ import annotations

from django.utils.translation import gettext as _

COUNTY, TOWNSHIP, VILLAGE = "county", "township", "village"
LEVEL_BY_LENGTH = {6: COUNTY, 9: TOWNSHIP, 12: VILLAGE}


class AreaCodeError(ValueError):
    """A division code is malformed."""


def level_of(code: str) -> str:
    """Validate ``code`` and return its level, or raise AreaCodeError saying why."""
    if not code.isdigit() or len(code) not in LEVEL_BY_LENGTH:
        raise AreaCodeError(_("a division code has 6, 9 or 12 digits, got %(c)s") % {"c": code})
    if len(code) > 6 and not 1 <= int(code[6:9]) <= 399:
        raise AreaCodeError(_("township part of %(c)s must be 001–399") % {"c": code})
    if len(code) == 12 and not 1 <= int(code[9:12]) <= 399:
        raise AreaCodeError(_("village part of %(c)s must be 001–399") % {"c": code})
    return LEVEL_BY_LENGTH[len(code)]


def parent_code(code: str) -> str | None:
    return {6: None, 9: code[:6], 12: code[:9]}[len(code)]


def is_community(code: str) -> bool:
    """Residents' committees (communities) are numbered 001–199, villages 200–399."""
    return len(code) == 12 and int(code[9:12]) < 200


def township_kind(code: str) -> str:
    number = int(code[6:9])
    return "street" if number < 100 else "town" if number < 200 else "township"
