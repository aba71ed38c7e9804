"""Excel import jobs: who uploaded what, how far the background task got, and its outcome."""

from __future__ import annotations

import uuid
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

ALLOWED_SUFFIXES = (".xlsx", ".xls", ".ods")


def upload_path(instance: Any, filename: str) -> str:
    """A safe generated name: the user's file name is kept only for display."""
    suffix = PurePath(filename).suffix.lower()
    suffix = suffix if suffix in ALLOWED_SUFFIXES else ".xlsx"
    return f"imports/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


def report_path(instance: Any, filename: str) -> str:
    return f"imports/{timezone.now():%Y/%m}/{uuid.uuid4().hex}-errors.xlsx"


class ImportMode(models.TextChoices):
    ALL_OR_NOTHING = "all", _("All or nothing: import only if every row is valid")
    VALID_ROWS = "valid", _("Import the valid rows (households with an error are skipped)")


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to start")
    CHECKING = "checking", _("Checking rows")
    WRITING = "writing", _("Writing to the registry")
    DONE = "done", _("Done")
    REJECTED = "rejected", _("Rejected: errors found, nothing imported")
    FAILED = "failed", _("Failed")


FINISHED = (ImportStatus.DONE, ImportStatus.REJECTED, ImportStatus.FAILED)


class ImportJob(models.Model):
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("uploaded by"))
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to=upload_path)
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    mode = models.CharField(_("mode"), max_length=8, choices=ImportMode.choices,
                            default=ImportMode.ALL_OR_NOTHING)
    status = models.CharField(_("status"), max_length=10, choices=ImportStatus.choices,
                              default=ImportStatus.PENDING)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows checked"), default=0)
    created_households = models.PositiveIntegerField(_("households created"), default=0)
    created_persons = models.PositiveIntegerField(_("persons created"), default=0)
    failed_rows = models.PositiveIntegerField(_("rows not imported"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    error_report = models.FileField(_("error report"), upload_to=report_path, blank=True)
    message = models.TextField(_("message"), blank=True)
    language = models.CharField(max_length=10, blank=True)  # of the report's messages
    task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    @property
    def percent(self) -> int:
        return int(100 * self.processed_rows / self.total_rows) if self.total_rows else 0
