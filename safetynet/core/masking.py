"""Masking of ID numbers, bank card numbers and phone numbers for display."""

from __future__ import annotations

import re

FULL_ID_NUMBER = re.compile(r"(?<![0-9Xx])[0-9]{17}[0-9Xx](?![0-9Xx])")


def mask_id(value: str | None) -> str:
    """320722********0019: first 6 and last 4 shown."""
    if not value:
        return ""
    return value[:6] + "*" * (len(value) - 10) + value[-4:] if len(value) > 10 else "*" * len(value)


def mask_card(value: str | None) -> str:
    if not value:
        return ""
    return "**** " + value[-4:] if len(value) > 4 else "*" * len(value)


def mask_phone(value: str | None) -> str:
    if not value:
        return ""
    return value[:3] + "****" + value[7:] if len(value) == 11 else value[:2] + "****"


def mask_name(value: str | None) -> str:
    """王*明: first and last character shown (王*, for two; * for one)."""
    if not value:
        return ""
    if len(value) <= 2:
        return value[0] + "*" * (len(value) - 1) if len(value) == 2 else "*"
    return value[0] + "*" * (len(value) - 2) + value[-1]


def mask_id_numbers(text: str) -> str:
    """Free text may quote an ID number (e.g. "already registered"); never show it whole."""
    return FULL_ID_NUMBER.sub(lambda match: mask_id(match.group()), text)
