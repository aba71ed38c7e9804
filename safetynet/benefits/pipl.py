"""What personal data the benefits app holds (read by safetynet/core/pipl.py).

Enrolments are social-assistance status (sensitive: specific identity) of households and
persons; their events and reviews name the staff who acted.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from safetynet.accounts.roles import REGISTRY_READERS
from safetynet.benefits.permissions import EDITORS
from safetynet.core.pipl import (
    EDIT,
    READ,
    STATUTORY_DUTY_SECURITY,
    Access,
    Category,
    Declaration,
    Group,
    Text,
)
from safetynet.registry.pipl import SOCIAL_ASSISTANCE

RETENTION = _("Kept with the household's record (never hard-deleted); disposal follows the "
              "bureau's records retention schedule")
PURPOSE = _("Pay benefits, review them and account for every change")
ACCESS = (Access(READ, REGISTRY_READERS), Access(EDIT, EDITORS))


def _status(title: Text, fields: tuple[str, ...]) -> Group:
    return Group(title=title, fields=fields, category=Category.ASSISTANCE, purpose=PURPOSE,
                 basis=SOCIAL_ASSISTANCE, retention=RETENTION, access=ACCESS)


def _staff(fields: tuple[str, ...]) -> Group:
    return Group(title=_("Staff who acted"), fields=fields, category=Category.STAFF,
                 purpose=_("Accountability for decisions on benefits"),
                 basis=STATUTORY_DUTY_SECURITY, retention=RETENTION, access=ACCESS)


ENROLLMENT = Declaration(
    model="benefits.Enrollment",
    subjects=_("Recipient households and persons"),
    groups=(
        _status(_("Programme, beneficiary, amount, months paid, status and reviews"),
                ("program", "household", "person", "beneficiary", "application_id", "status",
                 "approved_on", "start_month", "end_month", "monthly_amount", "amount_from",
                 "persons", "explanation", "review_months", "next_review", "end_reason")),
        _staff(("created_by",)),
    ),
    not_personal=("created_at",),
)
EVENT = Declaration(
    model="benefits.EnrollmentEvent",
    subjects=_("Recipient households and persons; staff who acted"),
    groups=(_status(_("Each change of an enrolment with its reason and amount"),
                    ("enrollment", "kind", "effective_month", "amount", "previous_amount",
                     "reason", "explanation")),
            _staff(("user",))),
    not_personal=("at",),
)
SUSPENSION = Declaration(
    model="benefits.Suspension",
    subjects=_("Recipient households and persons"),
    groups=(_status(_("Months withheld and why"),
                    ("enrollment", "from_month", "until_month", "reason")),),
)
REVIEW = Declaration(
    model="benefits.Review",
    subjects=_("Recipient households and persons; staff who reviewed"),
    groups=(_status(_("Facts found at the review, the amount and the outcome"),
                    ("enrollment", "due_on", "facts", "outcome", "previous_amount",
                     "new_amount", "effective_month", "explanation")),
            _staff(("done_by",))),
    not_personal=("done_at",),
)

DECLARATIONS = [ENROLLMENT, EVENT, SUSPENSION, REVIEW]
