"""Resident ID numbers (GB 11643-1999): validation, birth date and sex.

Pure functions with no Django models; error messages go through gettext so callers
can show them in the user's language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
EARLIEST_BIRTH = date(1880, 1, 1)
_SHAPE = re.compile(r"^\d{17}[\dX]$")


class IdNumberError(ValueError):
    """An ID number is malformed; the message says what is wrong."""


@dataclass(frozen=True)
class IdNumber:
    value: str
    birth_date: date
    sex: str  # "M" or "F"

    @property
    def region_code(self) -> str:
        return self.value[:6]


def check_character(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


def normalize(raw: str) -> str:
    return raw.strip().replace(" ", "").upper()


def parse(raw: str, today: date | None = None) -> IdNumber:
    """Validate ``raw`` and return its parts, or raise IdNumberError saying why."""
    value = normalize(raw)
    if len(value) != 18:
        raise IdNumberError(_("must be 18 characters, got %(n)d") % {"n": len(value)})
    if not _SHAPE.match(value):
        raise IdNumberError(_("the first 17 characters must be digits and the 18th a digit or X"))
    birth = _birth_date(value, today or date.today())
    expected = check_character(value[:17])
    if value[17] != expected:
        raise IdNumberError(_("the 18th character (check code) should be %(c)s") % {"c": expected})
    return IdNumber(value=value, birth_date=birth, sex="M" if int(value[16]) % 2 else "F")


def _birth_date(value: str, today: date) -> date:
    try:
        birth = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError as exc:
        raise IdNumberError(
            _("characters 7–14 are not a valid birth date: %(d)s") % {"d": value[6:14]}
        ) from exc
    if birth > today:
        raise IdNumberError(_("birth date %(d)s is in the future") % {"d": birth.isoformat()})
    if birth < EARLIEST_BIRTH:
        raise IdNumberError(_("birth date %(d)s is before 1880") % {"d": birth.isoformat()})
    return birth


def is_valid(raw: str) -> bool:
    try:
        parse(raw)
    except IdNumberError:
        return False
    return True


def looks_like_id_number(text: str) -> bool:
    return bool(re.fullmatch(r"\d{17}[\dXx]", text.strip()))


def make(region: str, birth: date, sequence: int) -> str:
    """Build a valid ID number (used by the demo generator and tests)."""
    first17 = f"{region}{birth:%Y%m%d}{sequence:03d}"
    return first17 + check_character(first17)
