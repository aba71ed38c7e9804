"""Documents attached to an application.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from safetynet.accounts.capabilities import Capability, may
from safetynet.core import audit, uploads
from safetynet.core.actor import Actor
from safetynet.core.jurisdiction import covers
from safetynet.intake.models import Application, Attachment


def attach(actor: Actor, application: Application, upload: Any, kind: str) -> Attachment:
    if not covers(actor, application.area.code) or not may(actor, Capability.CREATE_CASES):
        raise PermissionDenied(_("You may not add documents to this application."))
    with transaction.atomic():
        attachment = _attach(actor, application, upload, kind)
        audit.record("intake.attach", user=actor, obj=application,
                     kind=kind, size=attachment.size)
    return attachment


def _attach(actor: Actor, app: Application, upload: Any, kind: str) -> Attachment:
    content_type = uploads.check(upload)
    attachment = Attachment(application=app, kind=kind, original_name=uploads.safe_name(
        upload.name), content_type=content_type, size=upload.size, uploaded_by=actor.user)
    attachment.file.save(uploads.stored_name(upload, content_type), upload, save=False)
    with uploads.removed_on_error([attachment.file.name]):
        attachment.save()
    return attachment
