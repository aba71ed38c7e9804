"""The personal-information processing records (PIPL arts. 55–56): a page and an XLSX export.

For the security administrator, the audit administrator and the leader (``can_read_pipl``).
The records are built from the models and each app's ``pipl.py`` by safetynet/core/pipl.py.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import xlsxwriter
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from safetynet.core import audit, pipl

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require_reader(request: HttpRequest) -> None:
    if not getattr(request.user, "can_read_pipl", False):
        raise PermissionDenied


def _gather() -> dict[str, Any]:
    found, duplicates = pipl.catalogue()
    records = pipl.records(found)
    return {"records": records, "problems": duplicates + pipl.problems(found),
            "non_personal": pipl.non_personal_models(found),
            "sensitive": sum(r.sensitive for r in records)}


def _numbered(texts: list[str]) -> dict[str, int]:
    """Each distinct text once, numbered from 1 in order of first use."""
    return {text: number for number, text in enumerate(dict.fromkeys(texts), start=1)}


def _with_notes(data: dict[str, Any]) -> dict[str, Any]:
    """The page prints each legal basis, retention rule and access list once, as notes."""
    records = data["records"]
    bases = _numbered([r.basis for r in records])
    retentions = _numbered([r.retention for r in records])
    access = _numbered([_access_text(r.access) for r in records])
    rows = [{"record": r, "basis": bases[r.basis], "retention": retentions[r.retention],
             "access": access[_access_text(r.access)]} for r in records]
    return data | {"rows": rows, "bases": list(bases), "retentions": list(retentions),
                   "access": [text.splitlines() for text in access]}


@login_required
def processing_records(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    return render(request, "accounts/pipl.html", _with_notes(_gather()))


@login_required
def processing_records_export(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    data = _gather()
    audit.record("export", request=request, object_type="pipl.records",
                 rows=len(data["records"]), problems=len(data["problems"]))
    response = HttpResponse(_workbook(data), content_type=XLSX)
    name = f"pipl-processing-records-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- the workbook ----------------------------------------------------------------------------


def _headers() -> list[tuple[str, int]]:
    """Column titles and widths of the records sheet."""
    return [(_("Table"), 22), (_("Data subjects"), 28), (_("Personal data"), 32),
            (_("Fields"), 40), (_("Category"), 22), (_("Sensitive"), 10), (_("Purpose"), 36),
            (_("Legal basis"), 48), (_("Retention"), 40), (_("Who can access"), 48),
            (_("Applies to"), 22), (_("Change history table"), 24)]


def _access_text(access: Sequence[tuple[str, Sequence[str]]]) -> str:
    return "\n".join(f"{kind}: {', '.join(roles)}" if roles else kind for kind, roles in access)


def _record_row(record: pipl.Record) -> list[str]:
    return [f"{record.model} ({record.table})", record.subjects, record.title,
            record.field_labels, record.category, _("yes") if record.sensitive else _("no"),
            record.purpose, record.basis, record.retention, _access_text(record.access),
            record.applies_to, record.history_table]


def _sheet(book: Any, title: str, headers: list[tuple[str, int]],
           rows: list[list[str]]) -> None:
    sheet = book.add_worksheet(title[:31])
    bold = book.add_format({"bold": True, "bg_color": "#EEF2F7", "text_wrap": True,
                            "valign": "top"})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    for col, (text, width) in enumerate(headers):
        sheet.write(0, col, text, bold)
        sheet.set_column(col, col, width, wrap)
    for row, values in enumerate(rows, start=1):
        sheet.write_row(row, 0, values, wrap)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(rows), 1), len(headers) - 1)


def _workbook(data: dict[str, Any]) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                        "strings_to_urls": False})
    book.set_properties({"title": _("Personal-information processing records")})
    _sheet(book, _("Processing records"), _headers(),
           [_record_row(r) for r in data["records"]])
    _sheet(book, _("No personal data"), [(_("Table"), 36), (_("Model"), 30), (_("Why"), 60)],
           [list(item) for item in data["non_personal"]])
    if data["problems"]:
        _sheet(book, _("Undeclared"), [(_("Model"), 36), (_("Field"), 24), (_("Problem"), 60)],
               [[p.model, p.field, str(p.message)] for p in data["problems"]])
    book.close()
    return buffer.getvalue()
