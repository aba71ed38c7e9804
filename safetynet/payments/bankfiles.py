"""Bank file layouts: pluggable adapters that write the payment file and read the return.

The default layout (docs/payroll.md) as CSV (UTF-8 with BOM, comma separated) or as the
first sheet of an XLSX workbook, one record per row:

* ``H, file name, run id, programme, period YYYY-MM, line count, total yuan``
* ``D, reference, payee name, account, bank name, amount yuan, township code`` per line
* ``T, line count, total yuan``

The return file (CSV or XLSX) has one row per line: ``reference, result, reason,
bank reference``; result ``paid`` / ``failed`` (also ``S`` / ``F``, ``成功`` / ``失败``); a first
row of column names is skipped. A bank with another layout gets its own adapter, registered
in ``ADAPTERS`` and chosen by the setting ``SAFETYNET_BANK_ADAPTER``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

import xlsxwriter
from django.conf import settings
from django.utils.translation import gettext as _

from safetynet.core.money import to_money
from safetynet.registry.excel import FileError, read_rows

FORMATS = ("csv", "xlsx")
PAID_WORDS = frozenset({"paid", "s", "success", "ok", "成功", "已支付"})
FAILED_WORDS = frozenset({"failed", "f", "fail", "failure", "失败", "未成功"})
HEADER_WORDS = frozenset({"reference", "参考号", "流水号"})


@dataclass(frozen=True)
class Header:
    file_name: str
    run_id: int
    program: str
    period: str
    lines: int
    total: Decimal


@dataclass(frozen=True)
class Line:
    reference: str
    payee: str
    account: str
    bank_name: str
    amount: Decimal
    township: str


@dataclass(frozen=True)
class ReturnRow:
    row: int
    reference: str
    paid: bool
    reason: str
    bank_reference: str


class ReturnFileError(ValueError):
    """A return file that cannot be read; ``row`` 0 means the file as a whole."""

    def __init__(self, row: int, message: str) -> None:
        self.row = row
        self.message = message
        super().__init__(f"row {row}: {message}" if row else message)


class BankAdapter(Protocol):
    name: str

    def export(self, header: Header, lines: Iterable[Line], fmt: str) -> bytes: ...

    def parse_return(self, content: bytes, fmt: str) -> list[ReturnRow]: ...


def money_text(amount: Decimal) -> str:
    return f"{to_money(amount):.2f}"


class DefaultAdapter:
    """The documented default layout (H / D / T records)."""

    name = "default"

    def records(self, header: Header, lines: Iterable[Line]) -> Iterable[list[str]]:
        yield ["H", header.file_name, str(header.run_id), header.program, header.period,
               str(header.lines), money_text(header.total)]
        for line in lines:
            yield ["D", line.reference, line.payee, line.account, line.bank_name,
                   money_text(line.amount), line.township]
        yield ["T", str(header.lines), money_text(header.total)]

    def export(self, header: Header, lines: Iterable[Line], fmt: str) -> bytes:
        records = self.records(header, lines)
        return write_xlsx(records) if fmt == "xlsx" else write_csv(records)

    def parse_return(self, content: bytes, fmt: str) -> list[ReturnRow]:
        rows = read_xlsx(content) if fmt == "xlsx" else read_csv(content)
        return [parsed for number, cells in enumerate(rows, start=1)
                if (parsed := parse_return_row(number, cells)) is not None]


def write_csv(records: Iterable[Sequence[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(records)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def write_xlsx(records: Iterable[Sequence[str]]) -> bytes:
    """Every cell as text: account numbers and amounts stay exact."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False,
                                            "strings_to_formulas": False,
                                            "strings_to_urls": False})
    sheet = workbook.add_worksheet("payroll")
    sheet.set_column(0, 0, 4)
    sheet.set_column(1, 6, 22)
    for row, record in enumerate(records):
        sheet.write_row(row, 0, list(record))
    workbook.close()
    return buffer.getvalue()


def read_csv(content: bytes) -> list[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = content.decode("gb18030")
        except UnicodeDecodeError as exc:
            raise ReturnFileError(0, _("The file is neither UTF-8 nor GB18030 text.")) from exc
    return [row for row in csv.reader(io.StringIO(text)) if any(c.strip() for c in row)]


def read_xlsx(content: bytes) -> list[list[str]]:
    try:
        rows = read_rows(io.BytesIO(content))
    except FileError as exc:
        raise ReturnFileError(0, str(exc)) from exc
    return [[_cell(c) for c in row] for row in rows if any(_cell(c) for c in row)]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def parse_return_row(number: int, cells: Sequence[str]) -> ReturnRow | None:
    cells = [c.strip() for c in cells] + ["", "", "", ""]
    reference, result = cells[0], cells[1].lower()
    if number == 1 and reference.lower() in HEADER_WORDS:
        return None
    if not reference:
        raise ReturnFileError(number, _("The reference (column 1) is empty."))
    if result not in PAID_WORDS | FAILED_WORDS:
        raise ReturnFileError(number, _("Result %(r)r (column 2) is neither paid nor failed.")
                              % {"r": cells[1]})
    paid = result in PAID_WORDS
    if not paid and not cells[2]:
        raise ReturnFileError(number, _("A failed line needs the bank's reason (column 3)."))
    return ReturnRow(number, reference, paid, cells[2][:200], cells[3][:64])


def parse_amount(text: str) -> Decimal:
    try:
        return to_money(Decimal(text))
    except (InvalidOperation, ValueError) as exc:
        raise ValueError(f"not an amount: {text!r}") from exc


ADAPTERS: dict[str, BankAdapter] = {"default": DefaultAdapter()}


def adapter() -> BankAdapter:
    name = getattr(settings, "SAFETYNET_BANK_ADAPTER", "default")
    return ADAPTERS[name]


def format_of(filename: str, content: bytes) -> str:
    """``xlsx`` for a workbook (by its zip signature), else ``csv``."""
    return "xlsx" if content[:2] == b"PK" or filename.lower().endswith(".xlsx") else "csv"
