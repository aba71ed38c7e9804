"""Audited exports of children's data.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from safetynet.accounts.capabilities import Capability, may
from safetynet.children.services.common import MIN_REASON
from safetynet.core import audit
from safetynet.core.actor import Actor


def audit_export(actor: Actor, what: str, reason: str, count: int) -> None:
    """Children's data leaves the system only with a reason, and the audit log says so."""
    if not may(actor, Capability.EDIT_CHILDREN):
        raise PermissionDenied(_("Only child directors and supervisors export children's "
                                 "data."))
    if len(reason.strip()) < MIN_REASON:
        raise ValidationError({"reason": _("Say why you export children's data (at least "
                                           "%(n)s characters).") % {"n": MIN_REASON}})
    audit.record("children.export", user=actor, object_type="children",
                 object_id=what, reason=reason.strip()[:200], rows=count)
