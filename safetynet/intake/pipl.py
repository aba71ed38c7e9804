"""What personal data the single window holds (read by safetynet/core/pipl.py).

Applications name the household, applicant and beneficiary, say what they ask for and
why, and carry the decision; steps record what staff found (home visits, opinions);
documents are signed forms, certificates and photos; objections may name who raised
them; referrals pass a person's need to a partner department.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from safetynet.accounts.roles import REGISTRY_EDITORS, REGISTRY_READERS, Role
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
from safetynet.registry.pipl import ELIGIBILITY, SOCIAL_ASSISTANCE

CASE_RETENTION = _(
    "With the case file: never hard-deleted; disposal follows the bureau's records "
    "retention schedule for social-assistance files")
ACCOUNTABILITY = _("Accountability: who registered, checked, reviewed and decided a case")
REFERRAL_PURPOSE = _("Ask a partner department to help the person and follow its answer")
CASE_ACCESS = (Access(READ, REGISTRY_READERS), Access(EDIT, REGISTRY_EDITORS))


def _case(title: Text, fields: tuple[str, ...], category: Category,
          purpose: Text = ELIGIBILITY) -> Group:
    return Group(title=title, fields=fields, category=category, purpose=purpose,
                 basis=SOCIAL_ASSISTANCE, retention=CASE_RETENTION, access=CASE_ACCESS)


def _staff(fields: tuple[str, ...]) -> Group:
    return Group(title=_("Staff who handled the case"), fields=fields, category=Category.STAFF,
                 purpose=ACCOUNTABILITY, basis=STATUTORY_DUTY_SECURITY,
                 retention=CASE_RETENTION, access=(Access(READ, REGISTRY_READERS),))


APPLICATION = Declaration(
    model="intake.Application",
    subjects=_("Applicants for social assistance and the members of their households"),
    groups=(
        _case(_("Who applies, for whom, and in which household and village"),
              ("household", "applicant", "beneficiary", "area"), Category.IDENTITY),
        _case(_("What is asked for, why, and the decision with its reasons"),
              ("kind", "reason", "details", "requested_amount", "amount", "decision_reason",
               "state", "enrollment_id"), Category.ASSISTANCE),
        _staff(("created_by", "reviewed_by", "decided_by")),
    ),
    not_personal=("number", "channel", "open_key", "due_on", "overall_due_on", "accepted_on",
                  "notice_start", "notice_end", "decided_on", "resident_informed_on",
                  "extended", "idempotency_key", "created_at", "updated_at"),
)

STEP = Declaration(
    model="intake.Step",
    subjects=_("Applicants and the staff who handled their case"),
    groups=(
        _case(_("What the check, home visit, opinion and appraisal found"),
              ("note", "data"), Category.EXTRACT),
        _staff(("actor",)),
    ),
    not_personal=("application", "action", "from_state", "to_state", "at", "was_due_on"),
)

ATTACHMENT = Declaration(
    model="intake.Attachment",
    subjects=_("Applicants and the members of their households"),
    groups=(
        _case(_("Signed forms, certificates and home-visit photos"),
              ("file", "original_name"), Category.EXTRACT),
        _staff(("uploaded_by",)),
    ),
    not_personal=("application", "kind", "content_type", "size", "uploaded_at"),
)

OBJECTION = Declaration(
    model="intake.Objection",
    subjects=_("Residents who object to a public notice"),
    groups=(
        _case(_("Who objected (may be anonymous) and what they said"),
              ("objector", "content", "outcome"), Category.FAMILY),
        _staff(("recorded_by",)),
    ),
    not_personal=("application", "received_on", "handled"),
)

REFERRAL = Declaration(
    model="intake.Referral",
    subjects=_("Residents whose need is referred to a partner department"),
    groups=(
        Group(title=_("The person, household and need referred, and the department's answer"),
              fields=("household", "person", "area", "subject", "description", "answer",
                      "return_reason"),
              category=Category.ASSISTANCE, purpose=REFERRAL_PURPOSE, basis=SOCIAL_ASSISTANCE,
              retention=CASE_RETENTION,
              access=(*CASE_ACCESS, Access(READ, frozenset({Role.PARTNER})))),
        _staff(("sent_by", "handler")),
    ),
    not_personal=("number", "application", "department", "state", "due_on", "sent_at",
                  "accepted_at", "answered_at", "resident_informed_on"),
)

DECLARATIONS = [APPLICATION, STEP, ATTACHMENT, OBJECTION, REFERRAL]
