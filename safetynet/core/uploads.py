"""Uploaded files: only PDF, JPEG and PNG documents, recognised by their first bytes (not
by the name the uploader chose), no larger than the configured limit; files written for a
change that fails are deleted at once (``removed_on_error``), and files no row refers to
(a rollback further out, a killed process) by ``safetynet sweep_uploads`` (``sweep``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePath
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import models
from django.utils.translation import gettext as _

SIGNATURES = ((b"%PDF-", "application/pdf"), (b"\xff\xd8\xff", "image/jpeg"),
              (b"\x89PNG\r\n\x1a\n", "image/png"))
SUFFIXES = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}


def max_bytes() -> int:
    return int(settings.SAFETYNET_UPLOAD_MAX_MB) * 1024 * 1024


def check(upload: Any) -> str:
    """The document's content type; ValidationError naming the file when it is refused."""
    name = safe_name(getattr(upload, "name", ""))
    if upload.size > max_bytes():
        raise ValidationError({"documents": _("%(name)s is larger than %(mb)s MB.")
                               % {"name": name, "mb": settings.SAFETYNET_UPLOAD_MAX_MB}})
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    for signature, content_type in SIGNATURES:
        if head.startswith(signature):
            return content_type
    raise ValidationError({"documents": _("%(name)s is not a PDF, JPEG or PNG file.")
                           % {"name": name}})


def stored_name(upload: Any, content_type: str) -> str:
    """The suffix comes from the content, never from the uploader's file name."""
    return f"document{SUFFIXES[content_type]}"


def safe_name(name: str) -> str:
    """The uploader's file name, for display only: no folders, no control characters."""
    base = PurePath(str(name).replace("\\", "/")).name
    cleaned = "".join(ch for ch in base if ch.isprintable())
    return cleaned[-120:] or "document"


@contextmanager
def removed_on_error(saved: list[str]) -> Iterator[None]:
    """Files written during a transaction that then fails are deleted again."""
    try:
        yield
    except BaseException:
        for path in saved:
            default_storage.delete(path)
        raise


def referenced_files() -> set[str]:
    """The storage names every FileField of every model refers to."""
    names: set[str] = set()
    for model in apps.get_models():
        for model_field in model._meta.get_fields():
            if isinstance(model_field, models.FileField):
                column = model_field.attname
                names.update(n for n in model._default_manager.exclude(**{column: ""})
                             .values_list(column, flat=True).iterator() if n)
    return names


def orphans(older_than: dt.timedelta, now: dt.datetime | None = None) -> list[Path]:
    """Files under MEDIA_ROOT that no row refers to and that are older than ``older_than``
    (a file written for a transaction that was rolled back, or by a process killed
    before its commit). Younger files may belong to a transaction still open."""
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return []
    cutoff = (now or dt.datetime.now(dt.UTC)).timestamp() - older_than.total_seconds()
    kept = referenced_files()
    return sorted(
        path for path in root.rglob("*")
        if path.is_file() and not path.is_symlink()
        and path.relative_to(root).as_posix() not in kept and path.stat().st_mtime < cutoff
    )


def sweep(older_than: dt.timedelta, dry_run: bool = False) -> list[Path]:
    """Delete the orphaned files (see ``orphans``); the list of what was (or would be)
    deleted."""
    found = orphans(older_than)
    if not dry_run:
        for path in found:
            path.unlink(missing_ok=True)
    return found
