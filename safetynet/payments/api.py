"""Payroll endpoints under /api/v1/payments/ (bearer token or session; see docs/payroll.md).

Runs carry no personal data; the bank file does (it is audited). Approval needs a session
confirmed with a one-time code: a bearer token never approves.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, File, Router, Schema, Status
from ninja.files import UploadedFile

from safetynet.accounts.actor import actor_of
from safetynet.benefits.models import Program
from safetynet.benefits.months import label
from safetynet.core.schemas import Choice, RequestMonth, RequestYear
from safetynet.payments import jobs, permissions, selectors, services
from safetynet.payments.models import PayrollRun

router = Router(tags=["payments"])
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8",
                 "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


class RunIn(Schema):
    program: Annotated[str, Choice(Program)]
    period: RequestMonth


class TownshipOut(Schema):
    township: str
    name: str
    lines: int
    total_yuan: Decimal


class RunOut(Schema):
    run: int
    program: str
    period: str
    kind: str
    status: str
    lines: int
    total_yuan: Decimal
    created: bool | None = None
    reissue_of: int | None = None
    prepared_by: str | None = None
    approved_by: str | None = None
    control: list[TownshipOut] = []


class NoteIn(Schema):
    note: str = Field(max_length=200)


class ReissueIn(Schema):
    include_unchanged: bool = False


class ReturnOut(Schema):
    already_imported: bool
    paid: int
    failed: int
    unchanged: int
    pending: int


class FundOut(Schema):
    program: str
    township: str
    name: str
    month: str
    households: int
    persons: int
    yuan_paid: Decimal


def _out(run: PayrollRun, created: bool | None = None) -> RunOut:
    return RunOut(
        run=run.pk, program=run.program, period=label(run.period), kind=run.kind,
        status=run.status, lines=run.lines, total_yuan=run.total, created=created,
        reissue_of=run.reissue_of_id,
        prepared_by=run.prepared_by.username if run.prepared_by else None,
        approved_by=run.approved_by.username if run.approved_by else None,
        control=[TownshipOut(township=c.township, name=c.name, lines=c.lines,
                             total_yuan=c.total) for c in selectors.control_rows(run)])


def _reader(request: HttpRequest) -> None:
    if not permissions.can_read(request.user):
        raise PermissionDenied(_("Your role may not see payrolls."))


def _run(request: HttpRequest, run_id: int) -> PayrollRun:
    _reader(request)
    return get_object_or_404(PayrollRun, pk=run_id)


@router.get("/runs", response=list[RunOut])
def list_runs(request: HttpRequest) -> list[RunOut]:
    _reader(request)
    return [_out(run) for run in selectors.runs()]


@router.post("/runs", response={200: RunOut, 202: RunOut})
def prepare_run(request: HttpRequest, data: RunIn) -> Status:
    """Open the run of the programme and period and queue its preparation (202, status
    ``preparing``: poll ``GET /runs/{id}``), or answer the run that exists (200)."""
    run, created = jobs.start_payroll(actor_of(request), data.program, data.period)
    return Status(202 if created else 200, _out(run, created))


@router.get("/runs/{run_id}", response=RunOut)
def get_run(request: HttpRequest, run_id: int) -> RunOut:
    return _out(_run(request, run_id))


@router.post("/runs/{run_id}/check", response=RunOut)
def check_run(request: HttpRequest, run_id: int) -> RunOut:
    return _out(services.check_run(actor_of(request), _run(request, run_id)))


@router.post("/runs/{run_id}/approve", response=RunOut)
def approve_run(request: HttpRequest, run_id: int) -> RunOut:
    return _out(services.approve_run(actor_of(request), _run(request, run_id)))


@router.post("/runs/{run_id}/reject", response=RunOut)
def reject_run(request: HttpRequest, run_id: int, data: NoteIn) -> RunOut:
    return _out(services.reject_run(actor_of(request), _run(request, run_id), data.note))


@router.get("/runs/{run_id}/export")
def export_run(request: HttpRequest, run_id: int,
               format: Annotated[str, Choice(CONTENT_TYPES)] = "csv") -> HttpResponse:
    bank_file, content = services.export_run(actor_of(request), _run(request, run_id), format)
    response = HttpResponse(content, content_type=CONTENT_TYPES[bank_file.format])
    response["Content-Disposition"] = f'attachment; filename="{bank_file.name}"'
    return response


@router.post("/runs/{run_id}/return", response=ReturnOut)
def import_return(request: HttpRequest, run_id: int,
                  file: File[UploadedFile]) -> ReturnOut:
    result = services.import_return(actor_of(request), _run(request, run_id), file.read(),
                                    file.name or "return.csv")
    return ReturnOut(already_imported=result.already_imported, paid=result.paid,
                     failed=result.failed, unchanged=result.unchanged, pending=result.pending)


@router.post("/runs/{run_id}/reissue", response={201: RunOut})
def reissue(request: HttpRequest, run_id: int, data: ReissueIn) -> Status:
    again = services.reissue_failed(actor_of(request), _run(request, run_id),
                                    data.include_unchanged)
    return Status(201, _out(again, True))


@router.get("/statistics", response=list[FundOut])
def statistics(request: HttpRequest, program: Annotated[str, Choice(Program, blank=True)] = "",
               year: RequestYear | None = None) -> list[FundOut]:
    _reader(request)
    return [FundOut(**{**row.as_json(), "yuan_paid": row.paid})
            for row in selectors.fund_statistics(request.user, program or None, year)]



