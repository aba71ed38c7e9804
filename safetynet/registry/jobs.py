"""Job starters of the registry: keep an uploaded Excel file and queue its check once the
job's row has committed (a file written for a transaction that fails is deleted)."""

from __future__ import annotations

from pathlib import Path

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from safetynet.core import audit, uploads
from safetynet.core.actor import Actor
from safetynet.registry import tasks
from safetynet.registry.models_imports import ImportJob


def start_import(actor: Actor, upload: UploadedFile, mode: str, language: str) -> ImportJob:
    """Save the upload under a generated name and queue the background check."""
    saved: list[str] = []
    with uploads.removed_on_error(saved), transaction.atomic():
        job = ImportJob(created_by=actor.user, mode=mode, language=language,
                        original_name=Path(upload.name or "").name[:200])
        job.file.save(upload.name or "upload.xlsx", upload, save=False)
        saved.append(job.file.name)
        job.save()
        audit.record("registry_import", user=actor, obj=job, mode=mode,
                     file=job.original_name)
        transaction.on_commit(lambda: _queue(job.pk))
    return job


def _queue(pk: int) -> None:
    result = tasks.run_import.enqueue(pk)
    ImportJob.objects.filter(pk=pk).update(task_id=str(result.id))
