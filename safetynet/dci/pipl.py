"""What personal data the DCI app holds (read by safetynet/core/pipl.py).

Answers and notifications sent to partner systems are registry extracts, masked as sent;
the request values a partner searched by are never kept past its answer.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from safetynet.core.pipl import (
    READ,
    STATUTORY_DUTY_SECURITY,
    SYSTEM_ONLY,
    Access,
    Category,
    Declaration,
    Group,
    Text,
)
from safetynet.dci.permissions import READERS
from safetynet.registry.pipl import SOCIAL_ASSISTANCE

PURPOSE = _("Answer partner departments' queries and notify their subscriptions, within "
            "the fields and areas each was granted")
RETENTION = _("Kept as the record of what was disclosed to whom; disposal follows the "
              "bureau's records retention schedule")
NO_ACCESS = (Access(SYSTEM_ONLY, frozenset()),)


def _extract(title: Text, fields: tuple[str, ...]) -> Group:
    return Group(title=title, fields=fields, category=Category.EXTRACT, purpose=PURPOSE,
                 basis=SOCIAL_ASSISTANCE, retention=RETENTION, access=NO_ACCESS)


def _staff(fields: tuple[str, ...]) -> Group:
    return Group(title=_("Staff who registered the partner or issued its token"),
                 fields=fields, category=Category.STAFF,
                 purpose=_("Accountability for disclosures to partner departments"),
                 basis=STATUTORY_DUTY_SECURITY, retention=RETENTION,
                 access=(Access(READ, READERS),))


DECLARATIONS = [
    Declaration(model="dci.Partner", subjects=_("Staff of the bureau"),
                groups=(_staff(("created_by",)),),
                not_personal=("code", "name", "department", "purpose", "field_groups",
                              "areas", "callback_url", "public_key", "require_signature",
                              "active", "created_at")),
    Declaration(model="dci.PartnerToken", subjects=_("Staff of the bureau"),
                groups=(_staff(("created_by",)),),
                not_personal=("partner", "prefix", "token_hash", "created_at", "revoked_at",
                              "last_used_at")),
    Declaration(model="dci.Transaction", subjects=_("Persons found by a partner's query"),
                groups=(_extract(_("The answer sent, masked as sent"), ("response",)),
                        _extract(_("The request, without its values until answered"),
                                 ("request",))),
                not_personal=("partner", "action", "asynchronous", "message_id",
                              "transaction_id", "correlation_id", "reference_ids", "status",
                              "created_at", "completed_at")),
    Declaration(model="dci.Subscription", subjects=_("Persons a partner follows"),
                groups=(_extract(_("The subscription's filter (may name an ID number)"),
                                 ("filter",)),),
                not_personal=("partner", "code", "transaction", "reference_id", "event_kind",
                              "reg_event_type", "filter_type", "notify_record_type",
                              "frequency", "active", "created_at", "ended_at")),
    Declaration(model="dci.RegistryEvent", subjects=_("Persons with a registry event"),
                groups=(_extract(_("Who had which event, where"),
                                 ("person", "household", "area_code", "detail", "kind",
                                  "occurred_at")),)),
    Declaration(model="dci.Delivery", subjects=_("Persons in an answer or notification"),
                groups=(_extract(_("The callback as sent, masked"), ("payload",)),),
                not_personal=("partner", "action", "url", "order_key", "subscription",
                              "event", "status", "attempts", "next_attempt_at", "last_error",
                              "delivered_at", "created_at")),
]
