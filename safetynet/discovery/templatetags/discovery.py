"""Template filters of active discovery."""

from __future__ import annotations

from typing import Any

from django import template

from safetynet.discovery import permissions

register = template.Library()


@register.filter
def county_staff(user: Any) -> bool:
    return permissions.is_county_staff(user)
