"""Delegated-guardianship confirmations, with their scans.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from safetynet.children.models import ChildProfile, GuardianshipConfirmation
from safetynet.children.services.access import _require_editor
from safetynet.children.services.common import _check_scan, _past_date, _text
from safetynet.core import audit, uploads
from safetynet.core.actor import Actor


def record_confirmation(actor: Actor, child: ChildProfile, data: dict[str, Any],
                        scan: Any = None) -> GuardianshipConfirmation:
    """A signed delegated-guardianship confirmation, with its scan."""
    _require_editor(actor, child.area_id)
    confirmation = GuardianshipConfirmation(
        child=child, recorded_by=actor.user, signed_on=_past_date(data, "signed_on"),
        signed_by=_text(data, "signed_by", _("Who signed the confirmation?")),
        signer_relation=_text(data, "signer_relation", _("The signer's relation to the "
                                                          "child?")),
        guardian_name=_text(data, "guardian_name", _("Name the delegated guardian.")),
        guardian_relation=_text(data, "guardian_relation", _("The delegated guardian's "
                                                              "relation to the child?")),
        guardian_phone=str(data.get("guardian_phone") or "").strip())
    content_type = _check_scan(scan)
    saved: list[str] = []
    with uploads.removed_on_error(saved), transaction.atomic():
        if scan is not None:
            confirmation.scan.save(uploads.stored_name(scan, content_type), scan, save=False)
            saved.append(confirmation.scan.name)
        confirmation.save()
        ChildProfile.objects.filter(pk=child.pk).update(
            guardianship_signed_on=confirmation.signed_on)
        child.guardianship_signed_on = confirmation.signed_on
        audit.record("children.guardianship", user=actor, obj=confirmation,
                     child=child.pk, scan=bool(scan))
    return confirmation
