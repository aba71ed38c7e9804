"""Reading a department's file and matching it against the registry, in bulk.

The file (CSV or XLSX) becomes a Polars frame of text columns named by the source's
layout; each column is checked and parsed in one vectorised pass (errors name the row,
the header and what is wrong); every ID number is turned into the registry's blind index
(HMAC-SHA-256, the same key as ``Person.id_number_index``); one join with the registry's
index frame (person, household, village) matches the whole file. No row goes through
the ORM. ``row_key`` (SHA-256 of the source and the row's parsed values) makes the same
row, in the same file or another, count once.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import hmac
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

import numpy as np
import polars as pl
from django.db import connection
from django.utils.translation import gettext as _

from safetynet.core import crypto, idnumber
from safetynet.discovery.sources import CODED, DATE, GRADE, IDNUM, MONEY, Layout
from safetynet.registry.excel import FileError, read_rows
from safetynet.registry.models import Person

MAX_ERRORS = 200
ID_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2])
ID_CHECKS = np.frombuffer(b"10X98765432", dtype=np.uint8)
MONEY_RE = r"^-?\d{1,12}(\.\d{1,2})?$"
ID_RE = r"^\d{17}[\dX]$"
INDEX_SCHEMA = {"id_number_index": pl.String(), "person_id": pl.Int64(),
                "household_id": pl.Int64(), "area_id": pl.String()}


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    value: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "value": self.value,
                "message": self.message}


@dataclass
class Parsed:
    """The file's rows, parsed: ``frame`` has row, the layout's keys (typed), id_number_index,
    code and row_key; ``errors`` lists what is wrong (then nothing may be imported)."""

    frame: pl.DataFrame
    errors: list[RowError] = field(default_factory=list)


def normalise_header(text: Any) -> str:
    return re.sub(r"[\s*＊]", "", str(text)).replace("（", "(").replace("）", ")").lower()


def header_lookup(layout: Layout) -> dict[str, str]:
    lookup: dict[str, str] = {}
    for column in layout.columns:
        for name in (column.key, column.zh, str(column.label)):
            lookup[normalise_header(name)] = column.key
        lookup[normalise_header(re.sub(r"\(.*\)$", "", column.zh))] = column.key
    return lookup


# --- reading -------------------------------------------------------------------------------

def read_table(path: str | Path, name: str = "") -> list[list[Any]] | pl.DataFrame:
    """CSV as a Polars frame of strings (no header parsing yet), XLSX/XLS/ODS as rows."""
    suffix = Path(name or str(path)).suffix.lower()
    if suffix in (".csv", ".txt"):
        return _read_csv(Path(path))
    with open(path, "rb") as handle:
        return read_rows(handle)


def _read_csv(path: Path) -> pl.DataFrame:
    raw = path.read_bytes()
    try:
        raw.decode("utf-8")
        data = raw.removeprefix(b"\xef\xbb\xbf")
    except UnicodeDecodeError:
        try:
            data = raw.decode("gb18030").encode("utf-8")
        except UnicodeDecodeError as exc:
            raise FileError(_("The CSV file is neither UTF-8 nor GB18030 text.")) from exc
    try:
        return pl.read_csv(io.BytesIO(data), has_header=False, infer_schema=False,
                           truncate_ragged_lines=True)
    except pl.exceptions.PolarsError as exc:
        raise FileError(_("The CSV file cannot be read (%(e)s).") % {"e": exc}) from exc


def to_frame(table: list[list[Any]] | pl.DataFrame, layout: Layout) -> pl.DataFrame:
    """The layout's columns as text, with ``row`` (the row number in the file)."""
    rows = table if isinstance(table, pl.DataFrame) else _rows_frame(table)
    lookup = header_lookup(layout)
    header = [normalise_header(v) if v is not None else "" for v in rows.row(0)] \
        if rows.height else []
    found = {lookup[h]: rows.columns[i] for i, h in enumerate(header) if h in lookup}
    missing = [c.zh for c in layout.columns if c.required and c.key not in found]
    if missing:
        raise FileError(_("Required columns are missing in the first row: %(c)s")
                        % {"c": "、".join(missing)})
    body = rows.slice(1).with_row_index("row", offset=2)
    return body.select(
        pl.col("row").cast(pl.Int64),
        *[(pl.col(found[c.key]).str.strip_chars() if c.key in found else pl.lit(None,
           pl.String)).alias(c.key) for c in layout.columns])


def _rows_frame(rows: list[list[Any]]) -> pl.DataFrame:
    width = max((len(r) for r in rows), default=0)
    columns = [[_text(r[i]) if i < len(r) else None for r in rows] for i in range(width)]
    return pl.DataFrame({f"column_{i + 1}": col for i, col in enumerate(columns)},
                        schema={f"column_{i + 1}": pl.String() for i in range(width)})


def _text(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# --- checking and parsing ---------------------------------------------------------------------

def parse(text: pl.DataFrame, layout: Layout) -> Parsed:
    """Check and parse every column of ``text`` at once; the first errors are listed."""
    text = text.filter(pl.any_horizontal([pl.col(c.key).is_not_null() for c in layout.columns]))
    parsed = text.select("row", *[_parse_expr(c.key, c.kind, layout) for c in layout.columns])
    errors = _errors(text, parsed, layout)
    errors += _bad_check_characters(parsed)
    if errors:
        return Parsed(parsed.clear(), sorted(errors, key=lambda e: e.row)[:MAX_ERRORS])
    return Parsed(_with_keys(parsed, layout))


def _parse_expr(key: str, kind: str, layout: Layout) -> pl.Expr:
    col = pl.col(key)
    if kind == IDNUM:
        col = col.str.replace_all(r"\s", "").str.to_uppercase()
        return pl.when(col.str.contains(ID_RE)).then(col).alias(key)
    if kind == DATE:
        col = col.str.replace_all(r"[./年月]", "-").str.replace(r"日$", "").str.slice(0, 10)
        return col.str.to_date("%Y-%m-%d", strict=False).alias(key)
    if kind == MONEY:
        clean = col.str.replace_all(r"[,，\s]", "")
        fen = (clean.str.split(".").list.get(0, null_on_oob=True).cast(pl.Int64, strict=False)
               * 100 + clean.str.split(".").list.get(1, null_on_oob=True).fill_null("")
               .str.pad_end(2, "0").cast(pl.Int64, strict=False))
        return pl.when(clean.str.contains(MONEY_RE) & ~clean.str.starts_with("-")).then(fen) \
            .alias(key)
    if kind == GRADE:
        digits = col.str.replace_all(r"[级一二三四]", "").replace("", None)
        numeric = col.replace({"一级": "1", "二级": "2", "三级": "3", "四级": "4"}).str \
            .replace_all(r"级", "")
        grade = pl.coalesce(numeric.cast(pl.Int8, strict=False), digits.cast(pl.Int8,
                                                                               strict=False))
        return pl.when(grade.is_between(1, 4)).then(grade).alias(key)
    coded = CODED.get((layout.source, key))
    if coded:
        return col.str.to_lowercase().replace_strict(
            {k.lower(): v for k, v in coded.items()}, default=None).alias(key)
    return col.str.slice(0, 200).alias(key)


def _errors(text: pl.DataFrame, parsed: pl.DataFrame, layout: Layout) -> list[RowError]:
    errors: list[RowError] = []
    for column in layout.columns:
        given, value = text[column.key], parsed[column.key]
        empty = given.is_null()
        bad = ~empty & value.is_null()
        missing = empty if column.required else pl.Series([False] * text.height)
        for mask, message in ((bad, _message(column.kind, column.key, layout)),
                              (missing, _("required, but empty"))):
            rows = text.filter(mask)
            for row, raw in zip(rows["row"].head(MAX_ERRORS), rows[column.key].head(MAX_ERRORS),
                                strict=True):
                errors.append(RowError(int(row), column.zh, raw or "", message))
    return errors


def _message(kind: str, key: str, layout: Layout) -> str:
    coded = CODED.get((layout.source, key))
    if coded:
        return _("not one of: %(v)s") % {"v": "、".join(
            sorted({k for k in coded if not k.isascii()}))}
    return {IDNUM: _("not an 18-character ID number"),
            DATE: _("not a date (write it as 2022-09-01)"),
            MONEY: _("not an amount in yuan (e.g. 1234.50)"),
            GRADE: _("not a disability grade 1–4")}.get(kind, _("cannot be read"))


def _bad_check_characters(parsed: pl.DataFrame) -> list[RowError]:
    """ID numbers whose check character or birth date is wrong (vectorised GB 11643)."""
    ids = parsed.select("row", "id_number").drop_nulls()
    unique = ids["id_number"].unique()
    bad = set(unique.filter(~valid_id_numbers(unique)).to_list())
    if not bad:
        return []
    rows = ids.filter(pl.col("id_number").is_in(list(bad))).head(MAX_ERRORS)
    return [RowError(int(r), "公民身份号码", v, _("the check character (last one) is wrong")
                     if idnumber.check_character(v[:17]) != v[17] else
                     _("the birth date in the ID number is not a real date"))
            for r, v in rows.iter_rows()]


def valid_id_numbers(ids: pl.Series) -> pl.Series:
    """Whether each 18-character ID number (digits + check character) is valid."""
    if ids.len() == 0:
        return pl.Series(dtype=pl.Boolean)
    raw = np.frombuffer(ids.cast(pl.Binary).to_numpy().astype("S18").tobytes(),
                        dtype=np.uint8).reshape(-1, 18)
    total = ((raw[:, :17].astype(np.int64) - 48) * ID_WEIGHTS).sum(axis=1) % 11
    check_ok = ID_CHECKS[total] == raw[:, 17]
    born = ids.str.slice(6, 8).str.to_date("%Y%m%d", strict=False)
    born_ok = born.is_between(dt.date(1880, 1, 1), dt.date.today()).fill_null(False)
    return pl.Series(check_ok) & born_ok


def _with_keys(parsed: pl.DataFrame, layout: Layout) -> pl.DataFrame:
    key = crypto.keyring().index_key
    unique = parsed["id_number"].unique().to_list()
    indexes = pl.DataFrame({"id_number": unique,
                            "id_number_index": [blind_index(v, key) for v in unique]},
                           schema={"id_number": pl.String(), "id_number_index": pl.String()})
    values = [c.key for c in layout.columns if c.key != "name"]
    row_text = pl.concat_str([pl.col(k).cast(pl.String).fill_null("") for k in values],
                             separator="\x1f")
    keyed = parsed.join(indexes, on="id_number", how="left", maintain_order="left") \
        .with_columns(row_text.alias("row_text"))
    hashes = [hashlib.sha256(f"{layout.source}\x1e{t}".encode()).hexdigest()
              for t in keyed["row_text"].to_list()]
    return keyed.with_columns(pl.Series("row_key", hashes, dtype=pl.String)).drop("row_text")


def blind_index(value: str, key: bytes) -> str:
    """crypto.blind_index for an already normalised value, without the keyring lookup."""
    return hmac.digest(key, value.encode(), "sha256").hex()[:crypto.INDEX_HEX_CHARS]


# --- matching --------------------------------------------------------------------------------

def registry_index(limit_indexes: Iterable[str] | None = None) -> pl.DataFrame:
    """Blind index → person, household, village of every registered person with an ID
    number (deceased included: a death record must still find its person)."""
    table = Person._meta.db_table
    sql = (f"SELECT id_number_index, id, household_id, area_id FROM {table} "
           "WHERE id_number_index IS NOT NULL")
    with connection.cursor() as cursor:
        cursor.execute(sql)
        rows = cursor.fetchall()
    frame = pl.DataFrame(rows, schema=list(INDEX_SCHEMA.items()), orient="row")
    return frame if limit_indexes is None else frame.filter(
        pl.col("id_number_index").is_in(list(limit_indexes)))


def match(parsed: pl.DataFrame, registry: pl.DataFrame) -> pl.DataFrame:
    """``parsed`` with person_id, household_id and area_id (null when not registered)."""
    return parsed.join(registry, on="id_number_index", how="left", coalesce=True)


def write_csv_layout(layout: Layout, rows: Iterable[dict[str, Any]], handle: IO[str]) -> None:
    """A CSV file in ``layout`` with Chinese headers (demo, tests, templates)."""
    writer = csv.writer(handle)
    writer.writerow([c.zh for c in layout.columns])
    for row in rows:
        writer.writerow(["" if row.get(c.key) is None else row[c.key] for c in layout.columns])
