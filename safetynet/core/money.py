"""The one money type: Decimal yuan with two places, stored as integer fen."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

CENT = Decimal("0.01")
Money = Decimal


def to_money(value: object) -> Money:
    """Convert input (str, int, Decimal) to yuan with two places; floats are refused."""
    if isinstance(value, float):
        raise TypeError("money must not be a binary float")
    try:
        return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)
    except InvalidOperation as exc:
        raise ValueError(f"not an amount of money: {value!r}") from exc


def to_fen(value: Money) -> int:
    return int(to_money(value) * 100)


def from_fen(fen: int) -> Money:
    return (Decimal(fen) / 100).quantize(CENT)


class MoneyField(models.BigIntegerField):
    """Yuan amounts as Decimal in Python, integer fen in the database."""

    description = _("Amount of money in yuan")

    def from_db_value(self, value: int | None, expression: Any, connection: Any) -> Money | None:
        return None if value is None else from_fen(value)

    def to_python(self, value: Any) -> Money | None:
        if value is None or value == "":
            return None
        try:
            return to_money(value)
        except (ValueError, TypeError) as exc:
            raise ValidationError(_("Enter an amount in yuan, e.g. 650 or 650.50."),
                                  code="invalid") from exc

    def get_prep_value(self, value: Any) -> int | None:
        money = self.to_python(value)
        return None if money is None else to_fen(money)

    def formfield(self, **kwargs: Any) -> Any:  # type: ignore[override]
        # The model field's (translated) name and help text, as Django's own fields keep.
        defaults: dict[str, Any] = {"required": not self.blank,
                                    "label": capfirst(self.verbose_name),
                                    "help_text": self.help_text}
        return forms.DecimalField(max_digits=14, decimal_places=2, **{**defaults, **kwargs})
