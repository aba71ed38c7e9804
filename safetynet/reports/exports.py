"""The summary as an Excel workbook (XlsxWriter) and as a printable A4 PDF (WeasyPrint,
Noto CJK), in the current language, written in memory. Headers come from gettext, so they
are Chinese when zh-hans is active (the default, and always for monthly reports)."""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import quote

import xlsxwriter
from django.utils.translation import gettext as _

from safetynet.intake.documents import render_pdf
from safetynet.reports.summary import Summary

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"
CONTENT_TYPES = {"xlsx": XLSX, "pdf": PDF}
FORMATS = tuple(CONTENT_TYPES)


def title(report: Summary) -> str:
    return _("%(area)s livelihood statistics, %(period)s") % {
        "area": report.area_name, "period": report.query.title_period}


def filename(report: Summary, fmt: str) -> str:
    """民生保障统计_320722_2022-01_2022-09.xlsx"""
    params = report.query.as_params()
    return name_for(report.query.area, params["from"], params["to"], fmt)


def name_for(area: str, start: str, end: str, fmt: str) -> str:
    return f"{_('Livelihood statistics')}_{area}_{start}_{end}.{fmt}"


def content_disposition(name: str) -> str:
    """RFC 6266/5987: an ASCII fallback and the UTF-8 name."""
    fallback = name.encode("ascii", "replace").decode().replace("?", "_").replace('"', "")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name)}"


def program_headers() -> list[str]:
    return [_("Programme or item"), _("Number of households"), _("Number of persons"),
            _("Amount (10,000 yuan)"), _("Amount (yuan)")]


def service_headers() -> list[str]:
    return [_("Service figure"), _("Number counted"), _("Out of"), _("Share (%)")]


def render(report: Summary, fmt: str) -> bytes:
    if fmt == "xlsx":
        return xlsx(report)
    if fmt == "pdf":
        return pdf(report)
    raise ValueError(f"unknown format {fmt!r}")


def xlsx(report: Summary) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet(_("Summary"))
    styles = _styles(book)
    sheet.merge_range(0, 0, 0, 4, title(report), styles["title"])
    sheet.set_row(0, 24)
    sheet.write_row(1, 0, program_headers(), styles["header"])
    for r, row in enumerate(report.programs, start=2):
        sheet.write_string(r, 0, row.label)
        sheet.write_number(r, 1, row.households, styles["count"])
        sheet.write_number(r, 2, row.persons, styles["count"])
        sheet.write_number(r, 3, float(row.wan), styles["wan"])
        sheet.write_number(r, 4, float(row.amount), styles["yuan"])
    start = len(report.programs) + 3
    sheet.write_row(start, 0, service_headers(), styles["header"])
    for r, service in enumerate(report.services, start=start + 1):
        sheet.write_string(r, 0, service.label)
        sheet.write_number(r, 1, service.value, styles["count"])
        if service.base is not None:
            sheet.write_number(r, 2, service.base, styles["count"])
        if service.percent is not None:
            sheet.write_number(r, 3, float(service.percent), styles["percent"])
    sheet.set_column(0, 0, 44)
    sheet.set_column(1, 2, 12)
    sheet.set_column(3, 4, 18)
    sheet.freeze_panes(2, 1)
    book.close()
    return buffer.getvalue()


def _styles(book: Any) -> dict[str, Any]:
    return {"title": book.add_format({"bold": True, "font_size": 14, "align": "center"}),
            "header": book.add_format({"bold": True, "bg_color": "#e8eef5", "border": 1,
                                       "text_wrap": True, "align": "center"}),
            "count": book.add_format({"num_format": "#,##0"}),
            "wan": book.add_format({"num_format": "0.0000"}),
            "yuan": book.add_format({"num_format": "#,##0.00"}),
            "percent": book.add_format({"num_format": "0.0"})}


def pdf(report: Summary) -> bytes:
    return render_pdf("reports/pdf/summary.html", {
        "report": report, "title": title(report), "program_headers": program_headers(),
        "service_headers": service_headers()})
