"""Whole-yuan amounts and counts as the rules' explanations write them: 1,250 and +150."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def amount(value: int | float | None) -> str:
    """1250 -> "1,250" (whatever the language: the engine's explanations write it so)."""
    return "" if value is None else f"{int(value):,}"


@register.filter
def change(value: int | float | None) -> str:
    """150 -> "+150", -65 -> "-65", 0 -> "0"."""
    return "" if value is None else f"{int(value):+,}" if value else "0"
