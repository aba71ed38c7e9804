"""State changes of the payroll: one function per action, one transaction each, the audit
record written inside it.

prepare → check → approve (a different person, TOTP-verified on the web) → export the bank
file → import the bank's return → re-issue failed lines (after the account is corrected)
as a new run that goes through check and approval again. Overpayments are recorded
against paid lines and their recovery tracked.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import BigIntegerField, Count, Exists, OuterRef, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from safetynet.benefits.models import QUARTERLY_PROGRAMS, Program
from safetynet.benefits.months import label, parse_period
from safetynet.core import audit
from safetynet.core.actor import SYSTEM, Actor
from safetynet.core.money import from_fen, to_money
from safetynet.payments import bankfiles, payroll, permissions
from safetynet.payments.models import (
    NO_ACCOUNT,
    BankFile,
    Direction,
    LineStatus,
    Overpayment,
    PaymentLine,
    PayrollRun,
    Recovery,
    RecoveryStatus,
    RunKind,
    RunStatus,
)
from safetynet.registry.models import Household, Person

if TYPE_CHECKING:
    from safetynet.accounts.models import User

QUARTER_MONTHS = 3
MIN_NOTE = 2


# --- checks ---------------------------------------------------------------------------------


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _check_preparer(actor: Actor | None) -> None:
    """``None`` is the operator on the command line (no --user)."""
    if actor is not None:
        _require(permissions.can_prepare(actor),
                 _("Only a finance officer whose areas cover the county prepares payrolls."))


def period_for(program: str, text: str | date) -> date:
    """The run's period from ``YYYY-MM``: quarterly programmes start on a quarter's month."""
    if program not in Program.values:
        raise ValidationError({"program": _("Unknown programme %(p)s; expected one of %(all)s.")
                               % {"p": program, "all": ", ".join(Program.values)}})
    try:
        period = text.replace(day=1) if isinstance(text, date) else parse_period(text)
    except ValueError as exc:
        raise ValidationError({"period": _("Enter the month as YYYY-MM, e.g. 2022-09, not "
                                           "%(v)s.") % {"v": text}}) from exc
    if program in QUARTERLY_PROGRAMS and (period.month - 1) % QUARTER_MONTHS:
        raise ValidationError({"period": _(
            "%(p)s is paid by quarter: give the quarter's first month (January, April, July "
            "or October), not %(m)s.") % {"p": Program(program).label, "m": label(period)}})
    return period


def months_of(program: str) -> int:
    return QUARTER_MONTHS if program in QUARTERLY_PROGRAMS else 1


def _locked(run: PayrollRun | int) -> PayrollRun:
    pk = run if isinstance(run, int) else run.pk
    return PayrollRun.objects.select_for_update().get(pk=pk)


def _require_status(run: PayrollRun, *allowed: str) -> None:
    if run.status not in allowed:
        raise ValidationError(_("Run #%(id)d is %(s)s: this action is not possible now.")
                              % {"id": run.pk, "s": run.get_status_display()})


def _by(actor: Actor | None) -> User | None:
    """The user for a record's "by" column (none for the operator on the command line)."""
    return actor.user if actor is not None else None


# --- prepare --------------------------------------------------------------------------------


def open_run(actor: Actor | None, program: str,
             period_text: str | date) -> tuple[PayrollRun, bool]:
    """The regular run of the programme and period: a new one (``True``) or the one that
    exists (``False``; also when a concurrent process created it a moment ago)."""
    _check_preparer(actor)
    period = period_for(program, period_text)
    existing = _regular(program, period)
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            run = PayrollRun.objects.create(program=program, period=period,
                                            months=months_of(program), prepared_by=_by(actor))
            audit.record("payments_run_opened", user=actor, obj=run,
                         program=program, period=label(period),
                         source="cli" if actor is None or actor.via == SYSTEM else "web")
    except IntegrityError:
        found = _regular(program, period)
        if found is None:
            raise
        return found, False
    return run, True


def _regular(program: str, period: date) -> PayrollRun | None:
    return (PayrollRun.objects.filter(program=program, period=period, kind=RunKind.REGULAR)
            .exclude(status=RunStatus.REJECTED).first())


def prepare(run_id: int) -> PayrollRun:
    """Write the run's lines from the enrolments in force, all in one transaction: a run
    that is killed leaves no line, and preparing it again gives the same lines. A run that
    is already prepared (e.g. by a concurrent process) is returned unchanged."""
    with transaction.atomic():
        run = _locked(run_id)
        if run.status != RunStatus.PREPARING:
            return run
        built = payroll.build_lines(run.pk, run.program, run.period, run.months)
        payroll.insert_lines(built.rows)
        _finish_preparation(run, payroll.control_totals(built.rows), built.warnings)
    return run


def _finish_preparation(run: PayrollRun, control: dict[str, dict[str, int]],
                        warnings: list[dict[str, Any]]) -> None:
    run.control = control
    run.lines = sum(t["lines"] for t in control.values())
    run.total = from_fen(sum(t["fen"] for t in control.values()))
    run.warnings = warnings
    run.status, run.prepared_at = RunStatus.PREPARED, timezone.now()
    run.save()
    audit.record("payments_run_prepared", user=run.prepared_by, obj=run, lines=run.lines,
                 total=run.total, program=run.program, period=label(run.period))


def run_payroll(actor: Actor | None, program: str,
                period_text: str | date) -> tuple[PayrollRun, bool]:
    """Open (or find) the run and prepare it in this process (command line, API)."""
    run, created = open_run(actor, program, period_text)
    return prepare(run.pk), created


# --- check, approve, reject -----------------------------------------------------------------


def line_totals(run: PayrollRun) -> dict[str, dict[str, int]]:
    """Per township: lines and fen of the run's lines as stored (not cancelled)."""
    rows = (PaymentLine.objects.filter(run=run).exclude(status=LineStatus.CANCELLED)
            .order_by().values("township")
            .annotate(n=Count("pk"), fen=Sum("amount", output_field=BigIntegerField()))
            .order_by("township"))
    return {r["township"]: {"lines": int(r["n"]), "fen": int(r["fen"] or 0)} for r in rows}


@transaction.atomic
def check_run(actor: Actor | None, run: PayrollRun) -> PayrollRun:
    """Recount the stored lines against the control totals and list what needs a look
    (lines without a benefit card account). Any finance officer, the preparer included."""
    run = _locked(run)
    _check_preparer(actor)
    _require_status(run, RunStatus.PREPARED)
    _check(run, actor)
    return run


def _check(run: PayrollRun, actor: Actor | None) -> None:
    if line_totals(run) != run.control:
        raise ValidationError(_("The stored lines do not match the control totals: reject "
                                "the run and prepare it again."))
    # Lines without a benefit card account are held: never sent to the bank, listed on the
    # run page, paid by a re-issue run once the household's account is recorded.
    held = (PaymentLine.objects.filter(run=run, status=LineStatus.PENDING).filter(NO_ACCOUNT)
            .update(status=LineStatus.HELD))
    run.status, run.checked_by, run.checked_at = RunStatus.CHECKED, _by(actor), timezone.now()
    run.save()
    audit.record("payments_run_checked", user=actor, obj=run,
                 lines=run.lines, total=run.total, held_without_account=held)


@transaction.atomic
def approve_run(actor: Actor, run: PayrollRun) -> PayrollRun:
    """Maker-checker: a county approver or finance officer who did not prepare the run
    (a run not yet checked is checked first, in the same transaction). On the web the
    session must have passed its second factor (``actor.verified``); the command line's
    operator is trusted with the server."""
    run = _locked(run)
    _require(permissions.can_approve(actor),
             _("Only a county approver or finance officer approves payrolls."))
    _require(run.prepared_by_id != actor.pk,
             _("You prepared this run: a different person must approve it."))
    _require(actor.verified, _("Approving a payroll needs a login confirmed with a "
                               "one-time code."))
    _require_status(run, RunStatus.PREPARED, RunStatus.CHECKED)
    if run.status == RunStatus.PREPARED:  # not checked yet: the approver's check first
        _check(run, actor)
    if run.lines and not _to_bank(run).exists():
        raise ValidationError(_("Every line of run #%(id)d is held for lack of a benefit card "
                                "account: nothing can be sent to the bank. Record the "
                                "accounts, then reject the run and prepare it again.")
                              % {"id": run.pk})
    run.status, run.approved_by, run.approved_at = RunStatus.APPROVED, actor.user, timezone.now()
    run.save()
    audit.record("payments_run_approved", user=actor, obj=run,
                 lines=run.lines, total=run.total)
    return run


@transaction.atomic
def reject_run(actor: Actor, run: PayrollRun, note: str) -> PayrollRun:
    """Before approval a run can be rejected: its lines are cancelled, the period can be
    prepared again (after the enrolments are put right)."""
    run = _locked(run)
    _require(permissions.can_approve(actor),
             _("Only a county approver or finance officer rejects payrolls."))
    _require_status(run, RunStatus.PREPARED, RunStatus.CHECKED)
    if len(note.strip()) < MIN_NOTE:
        raise ValidationError({"note": _("Say why the run is rejected.")})
    PaymentLine.objects.filter(run=run).update(status=LineStatus.CANCELLED)
    run.status, run.rejected_by = RunStatus.REJECTED, actor.user
    run.decision_note = note.strip()[:200]
    run.save()
    audit.record("payments_run_rejected", user=actor, obj=run, note=note)
    return run


# --- the bank file --------------------------------------------------------------------------


def file_name(run: PayrollRun, fmt: str) -> str:
    """Unique: programme, period, run, and the number of files of the run sent before."""
    sent = BankFile.objects.filter(run=run, direction=Direction.EXPORT).count()
    return (f"SN-{run.program}-{run.period:%Y%m}-R{run.pk:06d}-{sent + 1:02d}.{fmt}")


def payees(lines: list[PaymentLine]) -> dict[int, str]:
    """Household id -> the head's name (the payee of household-level benefits)."""
    ids = {line.household_id for line in lines if line.person_id is None}
    heads = (Person.objects.filter(household_id__in=ids).order_by("household_id", "pk")
             .values_list("household_id", "relation", "name"))
    names: dict[int, str] = {}
    for household_id, relation, name in heads:
        if relation == "head" or household_id not in names:
            names[household_id] = name
    return names


def _to_bank(run: PayrollRun) -> Any:
    """The lines the bank file carries: neither cancelled nor held, and never one without an
    account (a held line is paid later by a re-issue run)."""
    return (PaymentLine.objects.filter(run=run)
            .exclude(status__in=[LineStatus.CANCELLED, LineStatus.HELD]).exclude(NO_ACCOUNT))


def _bank_totals(run: PayrollRun) -> tuple[int, Decimal]:
    totals = _to_bank(run).order_by().aggregate(
        n=Count("pk"), fen=Sum("amount", output_field=BigIntegerField()))
    return int(totals["n"]), from_fen(int(totals["fen"] or 0))


def bank_lines(run: PayrollRun, batch: int = 5000) -> Iterator[bankfiles.Line]:
    qs = _to_bank(run).select_related("person").order_by("pk")
    last = 0
    while chunk := list(qs.filter(pk__gt=last)[:batch]):
        heads = payees(chunk)
        for line in chunk:
            payee = line.person.name if line.person else heads.get(line.household_id, "")
            yield bankfiles.Line(line.reference, payee, line.bank_account or "",
                                 line.bank_name, line.amount, line.township)
        last = chunk[-1].pk


@transaction.atomic
def export_run(actor: Actor | None, run: PayrollRun,
               fmt: str = "csv") -> tuple[BankFile, bytes]:
    """The approved run as the paying bank's file (a new, uniquely named file each time;
    the same lines and references, so the bank can tell a copy)."""
    if fmt not in bankfiles.FORMATS:
        raise ValidationError({"format": _("Choose csv or xlsx, not %(f)s.") % {"f": fmt}})
    run = _locked(run)
    _check_preparer(actor)
    _require_status(run, RunStatus.APPROVED, RunStatus.EXPORTED, RunStatus.CLOSED)
    layout = bankfiles.adapter()
    name = file_name(run, fmt)
    count, total = _bank_totals(run)  # the run's totals less its held lines
    header = bankfiles.Header(name, run.pk, run.program, label(run.period), count, total)
    content = layout.export(header, bank_lines(run), fmt)
    bank_file = BankFile.objects.create(  # type: ignore[misc]
        run=run, direction=Direction.EXPORT, name=name, format=fmt, adapter=layout.name,
        sha256=hashlib.sha256(content).hexdigest(), lines=count, total=total,
        created_by=_by(actor))
    if run.status == RunStatus.APPROVED:
        run.status, run.exported_at = RunStatus.EXPORTED, timezone.now()
        run.save(update_fields=["status", "exported_at"])
    audit.record("payments_file_exported", user=actor, obj=run, file=name,
                 lines=count, total=total, sha256=bank_file.sha256)
    return bank_file, content


# --- the bank's return ----------------------------------------------------------------------


@dataclass
class ReturnResult:
    file: BankFile | None
    already_imported: bool = False
    paid: int = 0
    failed: int = 0
    unchanged: int = 0
    pending: int = 0
    errors: list[str] = field(default_factory=list)


def import_return(actor: Actor | None, run: PayrollRun, content: bytes,
                  filename: str) -> ReturnResult:
    """Mark each line paid or failed with the bank's reason. The same file again changes
    nothing; a line the file contradicts (paid before, failed now) stops the import."""
    _check_preparer(actor)
    fmt = bankfiles.format_of(filename, content)
    digest = hashlib.sha256(content).hexdigest()
    try:
        rows = bankfiles.adapter().parse_return(content, fmt)
    except bankfiles.ReturnFileError as exc:
        raise ValidationError({"file": _("Row %(r)d: %(m)s") % {"r": exc.row, "m": exc.message}
                               if exc.row else exc.message}) from exc
    try:
        with transaction.atomic():
            return _apply_return(actor, _locked(run), rows, filename, fmt, digest)
    except IntegrityError:  # the same file, imported a moment ago by someone else
        return ReturnResult(BankFile.objects.filter(run=run, sha256=digest).first(), True)


def _apply_return(actor: Actor | None, run: PayrollRun, rows: list[bankfiles.ReturnRow],
                  filename: str, fmt: str, digest: str) -> ReturnResult:
    done = BankFile.objects.filter(run=run, direction=Direction.RETURN, sha256=digest).first()
    if done is not None:
        return ReturnResult(done, already_imported=True)
    _require_status(run, RunStatus.EXPORTED, RunStatus.CLOSED)
    lines = _lines_by_reference(run, rows)
    result = ReturnResult(None)
    _mark_lines(lines, rows, result)
    result.pending = PaymentLine.objects.filter(run=run, status=LineStatus.PENDING).count()
    if result.pending == 0:
        run.status = RunStatus.CLOSED
        run.save(update_fields=["status"])
    result.file = BankFile.objects.create(
        run=run, direction=Direction.RETURN, name=filename[:120], format=fmt, sha256=digest,
        lines=len(rows), summary={"paid": result.paid, "failed": result.failed,
                                  "unchanged": result.unchanged, "pending": result.pending},
        created_by=_by(actor))
    audit.record("payments_return_imported", user=actor, obj=run,
                 file=filename, paid=result.paid, failed=result.failed,
                 unchanged=result.unchanged, pending=result.pending)
    return result


def _lines_by_reference(run: PayrollRun, rows: list[bankfiles.ReturnRow]
                        ) -> dict[str, PaymentLine]:
    wanted = {}
    problems = []
    for row in rows:
        pk = _reference_pk(row.reference)
        if pk is None:
            problems.append(_("row %(r)d: %(ref)s is not a SafetyNet reference")
                            % {"r": row.row, "ref": row.reference})
        wanted[row.reference] = pk
    found = {line.reference: line for line in PaymentLine.objects.filter(
        run=run, pk__in=[pk for pk in wanted.values() if pk is not None])}
    problems += [_("row %(r)d: line %(ref)s is not in run #%(id)d")
                 % {"r": row.row, "ref": row.reference, "id": run.pk}
                 for row in rows if wanted[row.reference] is not None
                 and row.reference not in found]
    if problems:
        raise ValidationError({"file": problems[:20]})
    return found


def _reference_pk(reference: str) -> int | None:
    text = reference.strip().upper()
    return int(text[2:]) if text.startswith("SN") and text[2:].isdigit() else None


def _mark_lines(lines: dict[str, PaymentLine], rows: list[bankfiles.ReturnRow],
                result: ReturnResult) -> None:
    now, paid_ids, conflicts = timezone.now(), [], []
    for row in rows:
        line = lines[row.reference]
        wanted = LineStatus.PAID if row.paid else LineStatus.FAILED
        if line.status == wanted:
            result.unchanged += 1
        elif line.status != LineStatus.PENDING:
            conflicts.append(_("row %(r)d: line %(ref)s is already %(s)s")
                             % {"r": row.row, "ref": row.reference,
                                "s": line.get_status_display()})
        elif row.paid:
            paid_ids.append(line.pk)
        else:
            PaymentLine.objects.filter(pk=line.pk).update(
                status=LineStatus.FAILED, bank_reason=row.reason,
                bank_reference=row.bank_reference, returned_at=now)
            result.failed += 1
    if conflicts:
        raise ValidationError({"file": conflicts[:20]})
    for start in range(0, len(paid_ids), 5000):
        PaymentLine.objects.filter(pk__in=paid_ids[start:start + 5000]).update(
            status=LineStatus.PAID, returned_at=now)
    result.paid = len(paid_ids)


# --- re-issue -------------------------------------------------------------------------------


def reissuable(run: PayrollRun, include_unchanged: bool = False) -> list[PaymentLine]:
    """Failed lines of ``run`` not yet re-issued whose household's account was corrected
    since (or all of them with ``include_unchanged``, e.g. after a bank-side fault), and
    held lines (no account at the check) whose household has an account now."""
    reissued = PaymentLine.objects.filter(original=OuterRef("pk")).exclude(
        status=LineStatus.CANCELLED)
    waiting = (PaymentLine.objects.filter(run=run, status__in=[LineStatus.FAILED,
                                                              LineStatus.HELD])
               .exclude(Exists(reissued)).select_related("household").order_by("pk"))
    return [line for line in waiting
            if (line.status == LineStatus.HELD and line.household.bank_account_index)
            or (line.status == LineStatus.FAILED and (
                include_unchanged
                or line.household.bank_account_index != line.bank_account_index))]


def reissue_failed(actor: Actor | None, run: PayrollRun,
                   include_unchanged: bool = False) -> PayrollRun:
    """A re-issue run of the failed lines, each linked to its original, paid to the
    account now in the registry; it is checked and approved like any run."""
    _check_preparer(actor)
    with transaction.atomic():
        run = _locked(run)
        _require_status(run, RunStatus.APPROVED, RunStatus.EXPORTED, RunStatus.CLOSED)
        lines = reissuable(run, include_unchanged)
        if not lines:
            raise ValidationError(_("No failed or held line of run #%(id)d can be re-issued: "
                                    "record or correct the benefit card account in the "
                                    "registry first.") % {"id": run.pk})
        again = PayrollRun.objects.create(
            program=run.program, period=run.period, months=run.months, kind=RunKind.REISSUE,
            reissue_of=run, prepared_by=_by(actor))
        try:
            with transaction.atomic():
                PaymentLine.objects.bulk_create([_copy_line(again, line) for line in lines])
        except IntegrityError as exc:
            raise ValidationError(_("One of these lines was re-issued a moment ago.")) from exc
        _finish_preparation(again, line_totals(again), [])
        audit.record("payments_reissued", user=actor, obj=again,
                     original_run=run.pk, lines=[line.pk for line in lines])
    return again


def _copy_line(run: PayrollRun, line: PaymentLine) -> PaymentLine:
    household: Household = line.household
    return PaymentLine(
        run=run, program=line.program, period=line.period, beneficiary=line.beneficiary,
        enrollment_id=line.enrollment_id, household_id=line.household_id,
        person_id=line.person_id, area_id=household.area_id, township=household.area_id[:9],
        months=line.months, monthly_amount=line.monthly_amount, amount=line.amount,
        persons=line.persons, bank_name=household.bank_name,
        bank_account=household.bank_account, original=line)


# --- overpayments ---------------------------------------------------------------------------


@transaction.atomic
def record_overpayment(actor: Actor | None, line: PaymentLine, amount: Decimal | str,
                       reason: str) -> Overpayment:
    """Money paid on ``line`` that was not due; at most the line's amount in all."""
    _check_preparer(actor)
    line = PaymentLine.objects.select_for_update().get(pk=line.pk)
    if line.status != LineStatus.PAID:
        raise ValidationError({"line": _("Only a paid line can be overpaid.")})
    money = _positive(amount, "amount")
    before = Overpayment.objects.filter(line=line).aggregate(s=Sum("amount"))["s"] or 0
    if to_money(before) + money > line.amount:
        raise ValidationError({"amount": _("%(a)s yuan is more than the %(paid)s yuan paid on "
                                           "this line (less %(before)s already recorded).")
                               % {"a": money, "paid": line.amount, "before": to_money(before)}})
    if len(reason.strip()) < MIN_NOTE:
        raise ValidationError({"reason": _("Say why the money was not due.")})
    over = Overpayment.objects.create(line=line, household_id=line.household_id,  # type: ignore[misc]
                                      area_id=line.area_id, amount=money,
                                      reason=reason.strip()[:200], created_by=_by(actor))
    audit.record("payments_overpayment", user=actor, obj=over,
                 line=line.pk, amount=money)
    return over


def _positive(amount: Decimal | str, field_name: str) -> Decimal:
    try:
        money = to_money(amount)
    except (TypeError, ValueError) as exc:
        raise ValidationError({field_name: _("Enter an amount in yuan, e.g. 650 or 650.50.")}) \
            from exc
    if money <= 0:
        raise ValidationError({field_name: _("The amount must be more than 0 yuan, not %(a)s.")
                               % {"a": money}})
    return money


@transaction.atomic
def record_recovery(actor: Actor | None, overpayment: Overpayment, amount: Decimal | str,
                    on: date, note: str = "") -> Overpayment:
    """Money recovered; the overpayment is settled when nothing is outstanding."""
    _check_preparer(actor)
    over = Overpayment.objects.select_for_update().get(pk=overpayment.pk)
    if over.status != RecoveryStatus.OPEN:
        raise ValidationError(_("This overpayment is settled."))
    money = _positive(amount, "amount")
    outstanding = over.amount - over.recovered
    if money > outstanding:
        raise ValidationError({"amount": _("Only %(o)s yuan is outstanding, not %(a)s.")
                               % {"o": outstanding, "a": money}})
    Recovery.objects.create(overpayment=over, amount=money, on=on, note=note.strip()[:200],  # type: ignore[misc]
                            user=_by(actor))
    over.recovered = over.recovered + money
    if over.recovered == over.amount:
        over.status = RecoveryStatus.RECOVERED
    over.save(update_fields=["recovered", "status"])
    audit.record("payments_recovery", user=actor, obj=over, amount=money)
    return over

