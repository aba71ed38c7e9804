"""Benefit card (bank card) numbers: the one check used by every form, import and API.

UnionPay debit cards, on which benefits are paid (一卡通), have 12 to 19 digits and end in
a Luhn check digit (ISO/IEC 7812). Pure Python, no Django: callers turn the error into a
field error of their own.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from safetynet.core.masking import mask_card

MIN_DIGITS = 12
MAX_DIGITS = 19


class BankCardError(ValueError):
    """The number is not a valid card number; the message says why, in the reader's
    language."""


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def normalize(value: str | None) -> str:
    """Spaces and hyphens people type between digit groups are dropped."""
    return "".join((value or "").split()).replace("-", "")


def check(value: str | None) -> str:
    """The normalised number, or ``""`` for no number; raise ``BankCardError`` otherwise."""
    text = normalize(value)
    if not text:
        return ""
    if not text.isascii() or not text.isdigit():
        raise BankCardError(_("Benefit card account: digits only, no letters or other signs "
                              "(%(v)s)") % {"v": mask_card(text)})
    if not MIN_DIGITS <= len(text) <= MAX_DIGITS:
        raise BankCardError(_("Benefit card account %(v)s has %(n)d digits: a bank card number "
                              "has %(min)d to %(max)d") % {"v": mask_card(text), "n": len(text),
                                                           "min": MIN_DIGITS,
                                                           "max": MAX_DIGITS})
    if not luhn_ok(text):
        raise BankCardError(_("Benefit card account %(v)s is not a valid card number (its "
                              "check digit is wrong): copy it again from the card")
                            % {"v": mask_card(text)})
    return text
