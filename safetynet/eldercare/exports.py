"""Excel exports (XlsxWriter): the month's compliance list, a provider's statement and an
insurance roster for the insurer. Written in memory; every export is audited."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

import xlsxwriter
from django.utils.translation import gettext as _

from safetynet.eldercare.labels import words
from safetynet.eldercare.models import Cover, InsurancePolicy, Statement
from safetynet.eldercare.selectors import Compliance

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _book(title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet(title[:31])
    bold = book.add_format({"bold": True, "bg_color": "#e8eef5"})
    money = book.add_format({"num_format": "0.00"})
    sheet.write_row(0, 0, headers, bold)
    sheet.freeze_panes(1, 0)
    for r, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            if hasattr(value, "quantize"):
                sheet.write_number(r, col, float(value), money)
            else:
                sheet.write(r, col, value)
    sheet.set_column(0, len(headers) - 1, 14)
    book.close()
    return buffer.getvalue()


def compliance_book(report: Compliance, rows: Sequence[Any]) -> bytes:
    headers = [_("Name"), _("Age"), _("Village / community"), _("Township"),
               _("Service provider"), _("Visits counted"), _("Minutes"), _("Value (yuan)"),
               _("Entitlement (yuan)"), _("Delivered"), _("Shortfall")]
    return _book(f"{report.month:%Y-%m}", headers, (
        [r.name, r.age_on(report.month), r.village, r.township, r.provider, r.outcome.visits,
         r.outcome.minutes, r.outcome.value, r.outcome.entitlement,
         _("yes") if r.outcome.compliant else _("no"), words(r.outcome.reasons)]
        for r in rows))


def statement_book(statement: Statement, lines: Iterable[Any]) -> bytes:
    headers = [_("Name"), _("Village / community"), _("Visits counted"), _("Minutes"),
               _("Value (yuan)"), _("Entitlement (yuan)"), _("Payable (yuan)"),
               _("Shortfall")]
    rows: list[list[Any]] = [
        [x.order.person.name, x.order.area.name, x.visits, x.minutes, x.value, x.entitlement,
         x.payable, words(x.reasons)] for x in lines]
    rows.append([_("Total"), statement.provider.name, "", "", "", "", statement.amount,
                 f"{statement.compliant}/{statement.orders}"])
    return _book(f"{statement.month:%Y-%m}", headers, rows)


def roster_book(policy: InsurancePolicy, covers: Iterable[Cover]) -> bytes:
    """For the insurer: who is covered, with the full ID number the policy needs."""
    headers = [_("Name"), _("ID number"), _("Village / community"), _("Persons / beds"),
               _("Covered from"), _("Covered until"), _("Premium (yuan)"), _("Note")]
    return _book(policy.number, headers, (
        [c.person.name if c.person else c.institution.name if c.institution else "",
         (c.person.id_number or "") if c.person else "", c.area.name, c.units,
         c.added_on.isoformat(), (c.removed_on or policy.ends_on).isoformat(), c.premium,
         c.note] for c in covers))
