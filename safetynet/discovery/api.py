"""Active-discovery endpoints under /api/v1/discovery/: the open warnings of the caller's
areas, a campaign's progress, and departments' file imports (upload, list, detail, the
background job's status). Verification is done in the web UI (visits)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from safetynet.accounts.actor import actor_of
from safetynet.core.masking import mask_id, mask_id_numbers
from safetynet.core.paging import MAX_PAGE_SIZE, PAGE_SIZE, paged
from safetynet.core.schemas import Choice, ErrorsOut
from safetynet.discovery import jobs, permissions, rules, selectors
from safetynet.discovery.models import ImportStatus, SourceImport
from safetynet.discovery.sources import SourceKind

router = Router(tags=["discovery"])


class WarningOut(Schema):
    id: int
    rule: str
    rule_label: str
    severity: str
    household: str
    area_code: str
    raised_on: dt.date
    due_on: dt.date
    signals: int
    reason: str


class ProgressOut(Schema):
    code: str
    name: str
    total: int
    visited: int
    found: int
    needs_help: int
    percent: int


def _reader(request: HttpRequest) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    if not getattr(user, "can_read_registry", False):
        raise PermissionDenied(_("Only civil-affairs staff see this page."))
    return user


@router.get("/warnings", response=list[WarningOut])
def open_warnings(request: HttpRequest, limit: int = 100) -> list[dict[str, Any]]:
    user = _reader(request)
    rows = selectors.warnings_for(user)[:max(1, min(limit, 500))]
    return [{"id": w.pk, "rule": w.rule, "rule_label": rules.rule_label(w.rule),
             "severity": w.severity, "household": w.household.number, "area_code": w.area_id,
             "raised_on": w.raised_on, "due_on": w.due_on, "signals": w.signals,
             "reason": rules.explain(w.rule, w.facts)} for w in rows]


@router.get("/campaigns/{pk}/progress", response=list[ProgressOut])
def campaign_progress(request: HttpRequest, pk: int,
                      township: str = Query("", max_length=9)) -> list[dict[str, Any]]:
    user = _reader(request)
    campaign = selectors.campaign(user, pk)
    _total, lines = selectors.progress(user, campaign, township[:9])
    return [{**line.__dict__, "percent": line.percent} for line in lines]


# --- department-file imports ----------------------------------------------------------------
# As the imports page: county civil-affairs staff only; an upload is kept and matched by the
# same background job the page starts (jobs.start_import), its progress read at /status.
# Rows not in the registry are stored with the ID number masked; error values are masked too.

ERRORS: dict[int, type[ErrorsOut]] = {401: ErrorsOut, 403: ErrorsOut, 404: ErrorsOut,
                                      409: ErrorsOut, 422: ErrorsOut}


class ImportStatusOut(Schema):
    id: int
    source: str
    source_label: str
    file_name: str
    status: str = Field(description="pending, running, done, rejected or failed")
    status_label: str
    finished: bool
    created_by: str
    created_at: dt.datetime
    finished_at: dt.datetime | None
    total_rows: int
    new_rows: int
    repeated_rows: int
    matched_rows: int
    unmatched_rows: int
    warnings_raised: int
    message: str
    status_url: str


class ImportErrorOut(Schema):
    row: int | None
    column: str
    value: str
    message: str


class UnmatchedOut(Schema):
    row: int | None
    id: str = Field(description="the ID number, masked")
    name: str


class ImportDetailOut(ImportStatusOut):
    errors: list[ImportErrorOut]
    unmatched: list[UnmatchedOut]


class ImportPageOut(Schema):
    count: int
    page: int
    page_size: int
    items: list[ImportStatusOut]


def _county(request: HttpRequest) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    if not permissions.is_county_staff(user):
        raise PermissionDenied(_("Only county civil-affairs staff may do this."))
    return user


def _import_status(job: SourceImport) -> dict[str, Any]:
    return {"id": job.pk, "source": job.source, "source_label": job.get_source_display(),
            "file_name": job.original_name, "status": job.status,
            "status_label": job.get_status_display(), "finished": job.finished,
            "created_by": str(job.created_by), "created_at": job.created_at,
            "finished_at": job.finished_at, "total_rows": job.total_rows,
            "new_rows": job.new_rows, "repeated_rows": job.repeated_rows,
            "matched_rows": job.matched_rows, "unmatched_rows": job.unmatched_rows,
            "warnings_raised": job.warnings_raised, "message": mask_id_numbers(job.message),
            "status_url": reverse("api:import_status", args=[job.pk])}


def _import_detail(job: SourceImport) -> dict[str, Any]:
    errors = [{"row": e.get("row"), "column": str(e.get("column", "")),
               "value": mask_id_numbers(str(e.get("value", ""))),
               "message": mask_id_numbers(str(e.get("message", "")))} for e in job.errors]
    unmatched = [{"row": u.get("row"), "id": mask_id(str(u.get("id", ""))),
                  "name": str(u.get("name", ""))} for u in job.unmatched]
    return {**_import_status(job), "errors": errors, "unmatched": unmatched}


def _job(request: HttpRequest, pk: int) -> SourceImport:
    found = selectors.imports_for(_county(request)).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


@router.get("/imports", response={200: ImportPageOut, **ERRORS})
def list_imports(request: HttpRequest,
                 source: Annotated[str, Choice(SourceKind, blank=True)] = "",
                 status: Annotated[str, Choice(ImportStatus, blank=True)] = "",
                 page: int = Query(1, ge=1),
                 page_size: int = Query(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)) -> dict[str, Any]:
    """Departments' files imported, newest first."""
    found = selectors.imports_for(_county(request))
    if source:
        found = found.filter(source=source)
    if status:
        found = found.filter(status=status)
    return paged(found, page, page_size, _import_status)


@router.post("/imports", response={202: ImportStatusOut, **ERRORS})
def start_import(request: HttpRequest, source: Form[Annotated[str, Choice(SourceKind)]],
                 file: File[UploadedFile]) -> Status:
    """Upload a department's file (multipart: ``source``, ``file``); it is matched in the
    background: follow ``status_url`` until ``finished``."""
    _county(request)
    job = jobs.start_import(actor_of(request), source, file)
    return Status(202, _import_status(job))


@router.get("/imports/{import_id}", response={200: ImportDetailOut, **ERRORS})
def get_import(request: HttpRequest, import_id: int) -> dict[str, Any]:
    """The import with its errors (a rejected file) and the rows not in the registry."""
    return _import_detail(_job(request, import_id))


@router.get("/imports/{import_id}/status", response={200: ImportStatusOut, **ERRORS},
            url_name="import_status")
def import_status(request: HttpRequest, import_id: int) -> dict[str, Any]:
    """Progress of the background job: poll until ``finished``."""
    return _import_status(_job(request, import_id))
