"""Approval, the bank file, the bank's return, re-issues and overpayments."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from safetynet.core.actor import Actor
from safetynet.core.models import AuditEvent
from safetynet.payments import services
from safetynet.payments.models import (
    BankFile,
    LineStatus,
    PaymentLine,
    PayrollRun,
    RecoveryStatus,
    RunKind,
    RunStatus,
)
from safetynet.registry.excel import read_rows
from tests.benefits.conftest import with_account


@pytest.fixture
def approved(finance, approver, enrolled):
    run, _ = services.run_payroll(Actor.of(finance), "dibao", "2022-09")
    services.check_run(Actor.of(finance), run)
    return services.approve_run(Actor.of(approver), run)


def parse_csv(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def details(records: list[list[str]]) -> list[list[str]]:
    return [r for r in records if r[0] == "D"]


def return_file(run: PayrollRun, failed: dict[int, str]) -> bytes:
    """The bank's answer: every line paid except ``failed`` (line pk -> reason)."""
    rows = ["reference,result,reason,bank_reference"]
    for line in PaymentLine.objects.filter(run=run).order_by("pk"):
        reason = failed.get(line.pk)
        rows.append(f"{line.reference},{'failed' if reason else 'paid'},{reason or ''},"
                    f"B{line.pk}")
    return ("\n".join(rows) + "\n").encode()


def test_preparer_never_approves(finance, finance2, enrolled):
    run, _ = services.run_payroll(Actor.of(finance), "dibao", "2022-09")
    with pytest.raises(PermissionDenied):
        services.approve_run(Actor.of(finance), run)
    approved = services.approve_run(Actor.of(finance2), run)  # a different finance officer may
    assert approved.status == RunStatus.APPROVED and approved.checked_by == finance2


def test_approval_on_the_web_needs_a_verified_login(finance, approver, enrolled):
    run, _ = services.run_payroll(Actor.of(finance), "dibao", "2022-09")
    with pytest.raises(PermissionDenied):
        services.approve_run(Actor.of(approver, verified=False), run)
    assert PayrollRun.objects.get(pk=run.pk).status == RunStatus.PREPARED
    approved = services.approve_run(Actor.of(approver, verified=True), run)
    assert approved.status == RunStatus.APPROVED


def test_nothing_leaves_before_approval(finance, enrolled):
    run, _ = services.run_payroll(Actor.of(finance), "dibao", "2022-09")
    with pytest.raises(ValidationError):
        services.export_run(Actor.of(finance), run, "csv")


def test_csv_totals_equal_the_control_totals(finance, approved):
    bank_file, content = services.export_run(Actor.of(finance), approved, "csv")
    records = parse_csv(content)
    header, trailer, lines = records[0], records[-1], details(records)
    total = sum(Decimal(r[5]) for r in lines)
    assert header[0] == "H" and header[1] == bank_file.name and header[2] == str(approved.pk)
    assert (int(header[5]), Decimal(header[6])) == (approved.lines, approved.total)
    assert trailer == ["T", str(approved.lines), f"{approved.total:.2f}"]
    assert (len(lines), total) == (approved.lines, approved.total)
    fen_by_township: dict[str, int] = {}
    for r in lines:
        fen_by_township[r[6]] = fen_by_township.get(r[6], 0) + int(Decimal(r[5]) * 100)
    assert fen_by_township == {t: v["fen"] for t, v in approved.control.items()}
    assert all(r[3].startswith("6228") and r[2] for r in lines)  # account and payee name
    approved.refresh_from_db()
    assert approved.status == RunStatus.EXPORTED
    assert AuditEvent.objects.filter(action="payments_file_exported").exists()


def test_xlsx_has_the_same_records_and_file_names_are_unique(finance, approved):
    first, csv_content = services.export_run(Actor.of(finance), approved, "csv")
    second, xlsx_content = services.export_run(Actor.of(finance), approved, "xlsx")
    assert first.name != second.name and second.name.endswith(".xlsx")
    rows = [[str(c) for c in row if c != ""] for row in read_rows(io.BytesIO(xlsx_content))]
    assert rows[1:] == parse_csv(csv_content)[1:]


def test_return_import_marks_lines_and_is_idempotent(finance, approved):
    services.export_run(Actor.of(finance), approved, "csv")
    first_line = PaymentLine.objects.filter(run=approved).order_by("pk").first()
    content = return_file(approved, {first_line.pk: "户名与账号不符"})
    result = services.import_return(Actor.of(finance), approved, content, "return.csv")
    assert (result.paid, result.failed, result.pending) == (2, 1, 0)
    first_line.refresh_from_db()
    assert (first_line.status, first_line.bank_reason) == (LineStatus.FAILED, "户名与账号不符")
    approved.refresh_from_db()
    assert approved.status == RunStatus.CLOSED
    before = list(PaymentLine.objects.values_list("pk", "status", "bank_reason", "returned_at"))
    again = services.import_return(Actor.of(finance), approved, content, "return.csv")
    assert again.already_imported and again.paid == again.failed == 0
    assert list(PaymentLine.objects.values_list("pk", "status", "bank_reason",
                                                "returned_at")) == before
    assert BankFile.objects.filter(direction="return").count() == 1


def test_return_contradicting_an_earlier_one_changes_nothing(finance, approved):
    services.export_run(Actor.of(finance), approved, "csv")
    services.import_return(Actor.of(finance), approved, return_file(approved, {}), "r1.csv")
    line = PaymentLine.objects.filter(run=approved).first()
    with pytest.raises(ValidationError):
        services.import_return(Actor.of(finance), approved, return_file(approved, {line.pk: "x"}),
                               "r2.csv")
    assert not PaymentLine.objects.filter(status=LineStatus.FAILED).exists()


def test_bad_return_rows_are_named(finance, approved):
    services.export_run(Actor.of(finance), approved, "csv")
    with pytest.raises(ValidationError) as exc:
        services.import_return(Actor.of(finance), approved, b"SN0000099999,paid,,\n", "r.csv")
    assert "SN0000099999" in str(exc.value.message_dict["file"])
    with pytest.raises(ValidationError) as exc:
        services.import_return(Actor.of(finance), approved, b"SN0000000001,maybe,,\n", "r.csv")
    assert "Row 1" in str(exc.value) or "1" in str(exc.value.message_dict["file"])


def test_reissue_covers_only_failed_lines_with_corrected_accounts(finance, approver, approved):
    services.export_run(Actor.of(finance), approved, "csv")
    lines = list(PaymentLine.objects.filter(run=approved).order_by("pk"))
    failed = {lines[0].pk: "账户已销户", lines[1].pk: "账号错误"}
    services.import_return(Actor.of(finance), approved, return_file(approved, failed), "r.csv")
    with pytest.raises(ValidationError):  # no account corrected yet
        services.reissue_failed(Actor.of(finance), approved)
    with_account(lines[0].household, "6217000000000009")
    again = services.reissue_failed(Actor.of(finance), approved)
    assert again.kind == RunKind.REISSUE and again.reissue_of == approved
    new = PaymentLine.objects.get(run=again)
    assert new.original_id == lines[0].pk and new.amount == lines[0].amount
    assert new.bank_account == "6217000000000009"
    assert (again.lines, again.total) == (1, lines[0].amount)
    with pytest.raises(ValidationError):  # the same failed line is not re-issued twice
        services.reissue_failed(Actor.of(finance), approved)
    everything = services.reissue_failed(Actor.of(finance), approved, include_unchanged=True)
    assert list(PaymentLine.objects.filter(run=everything).values_list(
        "original_id", flat=True)) == [lines[1].pk]
    paid = PaymentLine.objects.filter(run=approved, status=LineStatus.PAID).get()
    assert not PaymentLine.objects.filter(original=paid).exists()
    services.approve_run(Actor.of(approver), again)
    bank_file, content = services.export_run(Actor.of(finance), again, "csv")
    assert [r[1] for r in details(parse_csv(content))] == [new.reference]


def test_overpayment_and_recovery(finance, approved):
    services.export_run(Actor.of(finance), approved, "csv")
    services.import_return(Actor.of(finance), approved, return_file(approved, {}), "r.csv")
    line = PaymentLine.objects.filter(run=approved).order_by("pk").first()
    with pytest.raises(ValidationError):
        services.record_overpayment(Actor.of(finance), line, line.amount + 1, "死亡未报")
    over = services.record_overpayment(Actor.of(finance), line, Decimal("1000"), "死亡未报")
    services.record_recovery(Actor.of(finance), over, Decimal("400"), date(2022, 11, 5))
    over = services.record_recovery(Actor.of(finance), over, "600", date(2022, 12, 5), "退回")
    assert over.status == RecoveryStatus.RECOVERED and over.recovered == Decimal("1000.00")
    with pytest.raises(ValidationError):
        services.record_recovery(Actor.of(finance), over, "1", date(2022, 12, 6))


def test_reject_cancels_lines_and_frees_the_period(finance, approver, enrolled):
    run, _ = services.run_payroll(Actor.of(finance), "dibao", "2022-09")
    services.reject_run(Actor.of(approver), run, "金额有误")
    assert set(PaymentLine.objects.values_list("status", flat=True)) == {"cancelled"}
    again, created = services.run_payroll(Actor.of(finance), "dibao", "2022-09")
    assert created and again.pk != run.pk and again.lines == 3
