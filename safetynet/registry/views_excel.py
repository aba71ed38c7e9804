"""Excel screens: template download, upload with a background check, progress, export."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from safetynet.accounts.actor import actor_of
from safetynet.core import access, audit
from safetynet.core.jurisdiction import scope
from safetynet.core.models import Area
from safetynet.registry import excel, jobs
from safetynet.registry.access import MIN_REASON
from safetynet.registry.models_imports import ALLOWED_SUFFIXES, ImportJob, ImportMode
from safetynet.registry.widgets import SearchableSelect

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
# First bytes of a zip (xlsx, ods) and of an OLE compound file (xls).
SIGNATURES = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")


View = Callable[..., HttpResponseBase]


def requires(permission: str) -> Callable[[View], View]:
    """Log in, then hold ``permission`` (a User property such as can_edit_registry)."""
    return access.requires(lambda user: getattr(user, permission, False))


registry_reader = requires("can_read_registry")
registry_editor = requires("can_edit_registry")


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Excel file"), help_text=gettext_lazy(
        "Filled-in import template (.xlsx), at most 50 MB."))
    mode = forms.ChoiceField(label=gettext_lazy("If some rows have errors"),
                             choices=ImportMode.choices, initial=ImportMode.ALL_OR_NOTHING,
                             widget=forms.RadioSelect)

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if Path(upload.name or "").suffix.lower() not in ALLOWED_SUFFIXES:
            raise forms.ValidationError(_("Upload an Excel workbook (.xlsx)."))
        if (upload.size or 0) > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 50 MB; split it."))
        head = upload.read(4)
        upload.seek(0)
        if not head.startswith(SIGNATURES):
            raise forms.ValidationError(_("This file is not an Excel workbook."))
        return upload


class ExportForm(forms.Form):
    area = forms.ChoiceField(label=gettext_lazy("Area"), required=False,
                             widget=SearchableSelect)
    unmasked = forms.BooleanField(
        label=gettext_lazy("Full ID, phone and account numbers (needed to import the file "
                           "again; the download is recorded)"), required=False)
    reason = forms.CharField(label=gettext_lazy("Why you need full numbers"), required=False,
                             max_length=200)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        areas = scope(Area.objects.order_by("code"), user, field="code")
        area = self.fields["area"]
        assert isinstance(area, forms.ChoiceField)
        area.choices = [("", _("All my areas"))] + [(a.code, f"{a.code} {a.name}")
                                                     for a in areas]
        if not getattr(user, "can_reveal", False):  # full numbers only for these roles
            del self.fields["unmasked"], self.fields["reason"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("unmasked") and len((data.get("reason") or "").strip()) < MIN_REASON:
            self.add_error("reason", _("say why you need the full numbers"))
        return data


@registry_reader
def import_start(request: HttpRequest) -> HttpResponse:
    if not getattr(request.user, "can_edit_registry", False):
        return redirect("registry:export")  # readers may export but not import
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = jobs.start_import(actor_of(request), form.cleaned_data["file"],
                                form.cleaned_data["mode"], get_language() or "")
        return redirect("registry:import_job", pk=job.pk)
    recent = ImportJob.objects.filter(created_by=_user(request))[:10]
    return render(request, "registry/import.html", {"form": form, "jobs": recent})


def _user(request: HttpRequest) -> Any:
    return request.user


def _own_job(request: HttpRequest, pk: int) -> ImportJob:
    return get_object_or_404(ImportJob, pk=pk, created_by=_user(request))


@registry_editor
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = _own_job(request, pk)
    partial = getattr(request, "htmx", False)
    template = "registry/import_progress.html" if partial else "registry/import_job.html"
    return render(request, template, {"job": job})


@registry_editor
def import_report(request: HttpRequest, pk: int) -> FileResponse:
    job = _own_job(request, pk)
    if not job.error_report:
        raise Http404
    return FileResponse(job.error_report.open("rb"), as_attachment=True,
                        filename=f"import-{job.pk}-errors.xlsx", content_type=XLSX)


@registry_editor
def import_template(request: HttpRequest) -> FileResponse:
    villages = [(a.code, a.parent.name if a.parent else "", a.name) for a in
                scope(Area.objects.filter(level="village"), request.user, field="code")
                .select_related("parent")]
    return xlsx_response(lambda path: excel.write_template(path, villages),
                         "import-template.xlsx")


@registry_reader
def export(request: HttpRequest) -> HttpResponseBase:
    form = ExportForm(request.GET if "download" in request.GET else None, user=request.user)
    if form.is_bound and form.is_valid():
        return export_response(request, form.cleaned_data)
    return render(request, "registry/export.html", {"form": form})


def export_response(request: HttpRequest, choice: dict[str, Any]) -> FileResponse:
    area, masked = choice.get("area") or "", not choice.get("unmasked")
    count: list[int] = []

    def write(path: Path) -> None:
        count.append(excel.export_persons(request.user, path, area, masked))

    response = xlsx_response(write, f"households-{area or 'all'}-{date.today():%Y%m%d}.xlsx")
    audit.record("registry_export", request=request, area=area, masked=masked, rows=count[0],
                 reason=(choice.get("reason") or "").strip())
    return response


def xlsx_response(write: Callable[[Path], Any], filename: str) -> FileResponse:
    """Write a workbook to a temporary file and stream it; the file is gone once sent."""
    handle, name = tempfile.mkstemp(suffix=".xlsx")
    os.close(handle)
    try:
        write(Path(name))
        stream = open(name, "rb")  # noqa: SIM115 - FileResponse closes it
    finally:
        os.unlink(name)
    return FileResponse(stream, as_attachment=True, filename=filename, content_type=XLSX)
