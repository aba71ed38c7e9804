"""Importing one department's file: read, check, match, store new rows, raise warnings.

Runs as a background task (tasks.py). Checking never writes; a file with any error is
rejected whole, with each error's row, column and reason. Rows already stored (the same
``row_key``, from this file or an earlier one) are counted and skipped, so importing the
same file twice adds nothing. The new rows, their warnings and the import's figures are
written in one transaction, with the audit record; afterwards the monitored list is
recomputed (another task).
"""

from __future__ import annotations

import logging
import time
from typing import Any

import polars as pl
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from safetynet.core import audit, masking
from safetynet.core.money import from_fen
from safetynet.discovery import matching, params, rules, warnings
from safetynet.discovery.models import ExternalRecord, ImportStatus, SourceImport
from safetynet.discovery.sources import CODED, DATE, MONEY, Layout, layout
from safetynet.registry.excel import FileError

log = logging.getLogger(__name__)
BATCH = 2000
MAX_UNMATCHED_LISTED = 500


def run_import(import_id: int) -> SourceImport:
    job = SourceImport.objects.get(pk=import_id)
    claimed = SourceImport.objects.filter(pk=job.pk, status=ImportStatus.PENDING).update(
        status=ImportStatus.RUNNING)
    if not claimed:  # already run (a task queued twice, or run at once by the demo)
        return job
    with translation.override("zh-hans"):
        try:
            _run(job)
        except FileError as exc:
            _finish(job, ImportStatus.REJECTED, message=str(exc))
        except Exception as exc:
            log.exception("discovery import %s failed", job.pk)
            _finish(job, ImportStatus.FAILED, message=str(exc)[:2000])
    job.refresh_from_db()
    return job


def _finish(job: SourceImport, status: str, **fields: Any) -> None:
    SourceImport.objects.filter(pk=job.pk).update(status=status, finished_at=timezone.now(),
                                                  **fields)


def _run(job: SourceImport) -> None:
    timings: dict[str, float] = {}
    started = time.perf_counter()
    spec = layout(job.source)
    text = matching.to_frame(matching.read_table(job.file.path, job.original_name), spec)
    parsed = matching.parse(text, spec)
    timings["read"] = round(time.perf_counter() - started, 3)
    if parsed.errors:
        _finish(job, ImportStatus.REJECTED, total_rows=text.height,
                errors=[e.as_dict() for e in parsed.errors],
                message=_("%(n)s rows have errors; nothing was imported.")
                % {"n": len({e.row for e in parsed.errors})})
        return
    frame = parsed.frame.unique(subset="row_key", keep="first", maintain_order=True)
    new = _not_stored(frame)
    matched = matching.match(new, matching.registry_index(new["id_number_index"].unique()))
    timings["match"] = round(time.perf_counter() - started, 3)
    with transaction.atomic(), params.batch():
        records = _store(job, matched, spec)
        outcome = warnings.raise_signals(rules.evaluate(records), timezone.localdate())
        _figures(job, parsed.frame.height, frame.height, matched, outcome.opened, timings)
        audit.record("discovery.import", user=job.created_by, obj=job, source=job.source,
                     rows=parsed.frame.height, new=matched.height,
                     matched=job.matched_rows, warnings=outcome.opened,
                     merged=outcome.merged, suppressed=outcome.suppressed)


def _not_stored(frame: pl.DataFrame) -> pl.DataFrame:
    keys = frame["row_key"].to_list()
    stored: set[str] = set()
    for i in range(0, len(keys), BATCH):
        stored.update(ExternalRecord.objects.filter(row_key__in=keys[i:i + BATCH])
                      .values_list("row_key", flat=True))
    return frame.filter(~pl.col("row_key").is_in(list(stored))) if stored else frame


def _store(job: SourceImport, matched: pl.DataFrame, spec: Layout) -> list[ExternalRecord]:
    amount_key = next((c.key for c in spec.columns if c.kind == MONEY and c.required), None) \
        or next((c.key for c in spec.columns if c.kind == MONEY), None)
    coded = next((c.key for c in spec.columns if (spec.source, c.key) in _coded()), None)
    records = [_record(job, row, spec, amount_key, coded) for row in
               matched.iter_rows(named=True)]
    created: list[ExternalRecord] = []
    for i in range(0, len(records), BATCH):
        created += ExternalRecord.objects.bulk_create(records[i:i + BATCH])
    if created and created[0].pk is None:  # databases without RETURNING ids
        keys = [r.row_key for r in records]
        created = list(ExternalRecord.objects.filter(row_key__in=keys))
    return created


def _coded() -> set[tuple[str, str]]:
    return set(CODED)


def _record(job: SourceImport, row: dict[str, Any], spec: Layout, amount_key: str | None,
            coded: str | None) -> ExternalRecord:
    data = {c.key: _jsonable(row[c.key], c.kind) for c in spec.columns
            if c.key not in ("id_number", "name") and row[c.key] is not None}
    return ExternalRecord(
        source=spec.source, row_key=row["row_key"], source_import=job,
        row_number=row["row"], id_number_index=row["id_number_index"],
        name=(row["name"] or "")[:40], person_id=row["person_id"],
        household_id=row["household_id"], area_id=row["area_id"],
        event_on=row[spec.date_column],
        amount=_amount(row, amount_key),  # type: ignore[misc]
        grade=row.get("grade"), code=(row[coded] or "") if coded else "", data=data)


def _amount(row: dict[str, Any], key: str | None) -> Any:
    return from_fen(row[key]) if key and row[key] is not None else None


def _jsonable(value: Any, kind: str) -> Any:
    if kind == DATE:
        return value.isoformat()
    if kind == MONEY:
        return str(from_fen(value))
    return value


def _figures(job: SourceImport, total: int, distinct: int, matched: pl.DataFrame,
             warnings_raised: int, timings: dict[str, float]) -> None:
    unmatched = matched.filter(pl.col("person_id").is_null())
    job.total_rows, job.new_rows = total, matched.height
    job.repeated_rows = total - matched.height
    job.matched_rows = matched.height - unmatched.height
    job.unmatched_rows = unmatched.height
    job.warnings_raised = warnings_raised
    job.unmatched = [{"row": r, "id": masking.mask_id(i), "name": n or ""} for r, i, n in
                     unmatched.select("row", "id_number", "name").head(MAX_UNMATCHED_LISTED)
                     .iter_rows()]
    job.status, job.finished_at, job.timings = ImportStatus.DONE, timezone.now(), timings
    job.message = "" if distinct == total else _(
        "%(n)s rows appear twice in the file and were counted once.") % {"n": total - distinct}
    job.save()

