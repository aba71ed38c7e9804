"""What a report covers: a range of months and an area, checked against the user.

Every report, dashboard, export and drill-down list takes one ``ReportQuery``: the first
and last month (inclusive, first days of months) and the area code (county, township or
village). ``from_params`` reads ``from``, ``to`` and ``area`` (web query string, CLI
options) and refuses, with a message naming the field and the value, a malformed month, a
range that runs backwards or is longer than ``MAX_MONTHS``, and an area outside the
user's jurisdiction.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from safetynet.benefits.months import add_months, label, months_between, parse_period
from safetynet.core.jurisdiction import covers, user_area_codes

MAX_MONTHS = 60


@dataclass(frozen=True)
class ReportQuery:
    start: date  # first month, first day
    end: date  # last month (inclusive), first day
    area: str  # division code the report is limited to

    @property
    def months(self) -> list[date]:
        return [add_months(self.start, i) for i in range(months_between(self.start, self.end) + 1)]

    @property
    def after_end(self) -> date:
        """The first day after the last month (for half-open date ranges)."""
        return add_months(self.end, 1)

    def as_params(self) -> dict[str, str]:
        """The query string that reproduces this query (links, exports)."""
        return {"from": label(self.start), "to": label(self.end), "area": self.area}

    @property
    def title_period(self) -> str:
        if self.start == self.end:
            return label(self.start)
        return f"{label(self.start)} – {label(self.end)}"


def default_area(user: Any) -> str:
    """The user's widest area (the county for county staff; None-user: the whole county)."""
    if user is None:
        return str(settings.SAFETYNET_COUNTY_CODE)
    codes = user_area_codes(user)
    return min(codes, key=len) if codes else ""


def from_params(params: Mapping[str, Any], user: Any, today: date,
                latest: date | None = None) -> ReportQuery:
    """Read ``from``/``to``/``area``; defaults: January to the last month, where the last
    month is ``latest`` (e.g. the last month paid) or else the month before ``today``, and
    the user's widest area. ``user`` None is the operator on the command line (any area of
    the county)."""
    errors: dict[str, str] = {}
    last = latest or (add_months(today.replace(day=1), -1) if today.month > 1
                      else today.replace(day=1))
    end = _month(params.get("to"), last, "to", errors)
    start = _month(params.get("from"), end.replace(month=1), "from", errors)
    area = str(params.get("area") or "").strip() or default_area(user)
    if not errors:
        if start > end:
            errors["from"] = _("The first month %(start)s is after the last month %(end)s.") % {
                "start": label(start), "end": label(end)}
        elif months_between(start, end) >= MAX_MONTHS:
            errors["to"] = _("A report covers at most %(n)s months.") % {"n": MAX_MONTHS}
    if not area.isdigit() or not _allowed(user, area):
        errors["area"] = _("Area %(code)s is not in your jurisdiction.") % {"code": area or "-"}
    if errors:
        raise ValidationError(errors)
    return ReportQuery(start, end, area)


def _month(value: Any, default: date, field: str, errors: dict[str, str]) -> date:
    text = str(value or "").strip()
    if not text:
        return default
    try:
        return parse_period(text)
    except ValueError:
        errors[field] = _("%(value)s is not a month: write it as YYYY-MM, e.g. 2022-08.") % {
            "value": text}
        return default


def _allowed(user: Any, area: str) -> bool:
    if user is None:
        return area.startswith(str(settings.SAFETYNET_COUNTY_CODE))
    return covers(user, area)
