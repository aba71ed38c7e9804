"""Template filters: masking, yuan formatting and the capability check
(``{% if user|may:"accounts.create" %}``: templates never compare role names)."""

from __future__ import annotations

from decimal import Decimal

from django import template

from safetynet.accounts.capabilities import Capability
from safetynet.accounts.capabilities import may as role_holds
from safetynet.core import masking

register = template.Library()

register.filter("mask_id", masking.mask_id)
register.filter("mask_card", masking.mask_card)
register.filter("mask_phone", masking.mask_phone)


@register.filter
def may(user: object, capability: str) -> bool:
    """True when the user's role holds the capability named by its value (a typo fails)."""
    return role_holds(user, Capability(capability))


@register.filter
def yuan(value: Decimal | int | None) -> str:
    if value is None:
        return ""
    return f"{Decimal(value):,.2f}"


@register.filter
def age_on(person: object, day: object) -> int:
    return person.age_on(day)  # type: ignore[attr-defined]
