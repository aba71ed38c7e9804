"""Bulk insert of a Polars frame into a model's table: PostgreSQL COPY (psycopg 3, CSV)
where available, batched executemany elsewhere (SQLite). Runs in the caller's transaction.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import polars as pl
from django.db import connection, models

INSERT_BATCH = 10_000
COPY_BATCH = 200_000


def insert_frame(model: type[models.Model], columns: Sequence[str], rows: pl.DataFrame,
                 text_not_null: Sequence[str] = ()) -> None:
    """Insert ``rows`` (their ``columns``, in that order). ``text_not_null`` are text columns
    whose empty strings must stay '' rather than become NULL under COPY's CSV format."""
    if rows.height == 0:
        return
    frame = rows.select(list(columns))
    table = connection.ops.quote_name(model._meta.db_table)
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            copy_frame(cursor, table, quoted, frame, text_not_null)
        else:
            marks = ", ".join(["%s"] * len(columns))
            sql = f"INSERT INTO {table} ({quoted}) VALUES ({marks})"
            for batch in frame.iter_slices(INSERT_BATCH):
                cursor.executemany(sql, batch.rows())


def copy_frame(cursor: Any, table: str, columns: str, frame: pl.DataFrame,
               text_not_null: Sequence[str] = ()) -> None:
    """COPY ``frame`` (already in column order) into ``table`` on PostgreSQL."""
    options = "FORMAT csv"
    if text_not_null:
        force = ", ".join(connection.ops.quote_name(c) for c in text_not_null)
        options += f", FORCE_NOT_NULL ({force})"
    with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN WITH ({options})") as copy:
        for batch in frame.iter_slices(COPY_BATCH):
            buffer = io.BytesIO()
            batch.write_csv(buffer, include_header=False)
            copy.write(buffer.getvalue())
