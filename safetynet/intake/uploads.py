"""Checks on uploaded documents: only PDF, JPEG and PNG, recognised by their first bytes
(not by the name the uploader chose), and no larger than the configured limit."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
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
