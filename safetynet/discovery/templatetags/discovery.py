"""Template filters of active discovery."""

from __future__ import annotations

from typing import Any

from django import template

from safetynet.discovery import services

register = template.Library()


@register.filter
def county_staff(user: Any) -> bool:
    return services.is_county_staff(user)
