"""Monthly reports: on the first of each month the summary of the month before, for the
county and for each of its townships, kept with its XLSX and PDF (always in Chinese).

``generate`` is idempotent: a second run for the same month and area returns the stored
report unless ``force``. ``catch_up`` fills every missing month from the first month with
paid lines (at most ``MAX_CATCH_UP`` months back) to the month before ``today``; the cron
line in docs/reports.md runs it as ``safetynet report monthly``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation

from safetynet.benefits.months import add_months, label, months_between
from safetynet.core import areas
from safetynet.core.jurisdiction import area_q, user_area_codes
from safetynet.core.models import Area
from safetynet.reports import exports
from safetynet.reports.models import MonthlyReport
from safetynet.reports.query import ReportQuery
from safetynet.reports.summary import first_paid_month, summary

MAX_CATCH_UP = 24
LANGUAGE = "zh-hans"


def county_code() -> str:
    return str(settings.SAFETYNET_COUNTY_CODE)


def report_areas() -> list[Area]:
    """The county and its townships: the areas a monthly report is made for."""
    county = county_code()
    levels = (areas.COUNTY, areas.TOWNSHIP)
    return list(Area.objects.filter(code__startswith=county, level__in=levels).order_by("code"))


def generate(month: date, area: str | None = None, force: bool = False) -> MonthlyReport:
    """The report of ``month`` (any day of it) for ``area`` (default: the county)."""
    month = month.replace(day=1)
    code = area or county_code()
    existing = MonthlyReport.objects.filter(month=month, area_id=code).first()
    if existing is not None and not force:
        return existing
    if not Area.objects.filter(code=code).exists():
        raise ValueError(f"unknown area {code}")
    with translation.override(LANGUAGE):
        report = summary(ReportQuery(month, month, code), None)
        files = {"summary": report.as_json(), "xlsx": exports.xlsx(report),
                 "pdf": exports.pdf(report), "generated_at": timezone.now()}
    with transaction.atomic():
        saved, _created = MonthlyReport.objects.update_or_create(month=month, area_id=code,
                                                                 defaults=files)
    return saved


def generate_all(month: date, force: bool = False) -> list[MonthlyReport]:
    """The month's report for the county and every township."""
    return [generate(month, a.code, force) for a in report_areas()]


def missing_months(today: date) -> list[date]:
    """Months before ``today``'s, from the first month paid (at most MAX_CATCH_UP back),
    without a county report."""
    last = add_months(today.replace(day=1), -1)
    first = first_paid_month()
    if first is None or first > last:
        return []
    first = max(first, add_months(last, -(MAX_CATCH_UP - 1)))
    done = set(MonthlyReport.objects.filter(area_id=county_code(), month__gte=first)
               .values_list("month", flat=True))
    months = [add_months(first, i) for i in range(months_between(first, last) + 1)]
    return [m for m in months if m not in done]


def catch_up(today: date) -> list[MonthlyReport]:
    """Every missing month's reports (normally just last month's)."""
    made: list[MonthlyReport] = []
    for month in missing_months(today):
        made.extend(generate_all(month))
    return made


def file_name(report: MonthlyReport, fmt: str) -> str:
    month = label(report.month)
    return exports.name_for(report.area_id, month, month, fmt)


def reports_for(user: Any) -> QuerySet[MonthlyReport]:
    """Reports of the areas inside the user's jurisdiction (a township's officer sees the
    township's, county staff the county's and every township's)."""
    reports = MonthlyReport.objects.select_related("area").defer("xlsx", "pdf")
    return reports.filter(area_q(user_area_codes(user), "area__code"))
