"""What personal data child protection holds (read by safetynet/core/pipl.py).

All of it is about children and their families: the records are open only to child
directors and supervisors (CHILD_WORKERS) in their areas; hotline cases also to the 12345
hotline. Exports need a reason and are audited.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from safetynet.accounts.roles import CHILD_WORKERS, Role
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
from safetynet.registry.pipl import CHILD_PROTECTION

PURPOSE = _("Know, follow and protect left-behind children and children in difficulty: "
            "categories, guardianship, visits, support")
HOTLINE_PURPOSE = _("Handle a minor's case received by the 12345 hotline until it is closed")
RETENTION = _("Until the child turns 18 and the last case is closed, then archived under "
              "the bureau's records retention schedule; never hard-deleted")
CHILD_ACCESS = (Access(READ, CHILD_WORKERS), Access(EDIT, CHILD_WORKERS))
HOTLINE = frozenset({Role.PARTNER})
CASE_ACCESS = (Access(READ, CHILD_WORKERS | HOTLINE), Access(EDIT, CHILD_WORKERS | HOTLINE))


def _child(title: Text, fields: tuple[str, ...], category: Category = Category.MINORS,
           purpose: Text = PURPOSE, access: tuple[Access, ...] = CHILD_ACCESS) -> Group:
    return Group(title=title, fields=fields, category=category, purpose=purpose,
                 basis=CHILD_PROTECTION, retention=RETENTION, access=access)


def _staff(fields: tuple[str, ...], access: tuple[Access, ...] = CHILD_ACCESS) -> Group:
    return Group(title=_("Staff who recorded or handled it"), fields=fields,
                 category=Category.STAFF,
                 purpose=_("Accountability for child-protection records"),
                 basis=STATUTORY_DUTY_SECURITY, retention=RETENTION, access=access)


PROFILE = Declaration(
    model="children.ChildProfile",
    subjects=_("Registered children and their parents and carers"),
    groups=(
        _child(_("The child and their village"), ("person", "area")),
        _child(_("Parents and carer: status, whereabouts, names and phones"),
               ("father_status", "mother_status", "father_name", "mother_name",
                "father_phone", "mother_phone", "father_whereabouts", "mother_whereabouts",
                "carer_name", "carer_relation", "carer_phone", "poverty",
                "improper_guardianship")),
        _child(_("School, health, risk and insurance"),
               ("school", "health", "risk", "risk_reasons", "insured", "insurance_note")),
        _child(_("Categories, review and follow-up dates"),
               ("categories", "reviewed_categories", "reviewed_on", "next_visit_due",
                "last_visit_on", "guardianship_signed_on", "active", "registered_on")),
        _staff(("reviewed_by", "created_by")),
    ),
    not_personal=("updated_at",),
)

CONFIRMATION = Declaration(
    model="children.GuardianshipConfirmation",
    subjects=_("Children, their parents and delegated guardians"),
    groups=(
        _child(_("Who signed the delegated-guardianship confirmation, the guardian, and the "
                 "scanned form"),
               ("child", "signed_on", "signed_by", "signer_relation", "guardian_name",
                "guardian_relation", "guardian_phone", "scan")),
        _staff(("recorded_by",)),
    ),
    not_personal=("recorded_at",),
)

VISIT = Declaration(
    model="children.Visit",
    subjects=_("Visited children and the people present"),
    groups=(
        _child(_("Visit: who was present, findings, needs and follow-up"),
               ("child", "visited_on", "present", "findings", "needs", "follow_up",
                "referral_number")),
        _staff(("visitor",)),
    ),
    not_personal=("recorded_at",),
)

SUPPORT = Declaration(
    model="children.SupportRecord",
    subjects=_("Orphans and children without a de facto carer"),
    groups=(
        _child(_("Education aid and health checks with amounts"),
               ("child", "kind", "on", "amount", "note")),
        _staff(("recorded_by",)),
    ),
)

NOTICE = Declaration(
    model="children.Notice",
    subjects=_("Registered children"),
    groups=(
        _child(_("Notices to the child director about a child"),
               ("child", "area", "message")),
        _staff(("read_by",)),
    ),
    not_personal=("kind", "created_on"),
)

CASE = Declaration(
    model="children.HotlineCase",
    subjects=_("Children named in hotline cases, and callers"),
    groups=(
        _child(_("The child, what happened, and how the case was handled"),
               ("child", "child_name", "child_age", "area", "what_happened", "kind",
                "urgency", "state", "department", "due_on", "service", "handed_over_at",
                "referral_number", "escalation_level", "escalated_on", "outcome",
                "closed_at"), purpose=HOTLINE_PURPOSE, access=CASE_ACCESS),
        _child(_("Caller's name and phone"), ("caller_name", "caller_phone"),
               category=Category.CONTACT, purpose=HOTLINE_PURPOSE, access=CASE_ACCESS),
        _staff(("responsible", "created_by"), CASE_ACCESS),
    ),
    not_personal=("number", "received_at"),
)

STEP = Declaration(
    model="children.CaseStep",
    subjects=_("Children named in hotline cases"),
    groups=(
        _child(_("What was done on a case, with notes"), ("note",),
               purpose=HOTLINE_PURPOSE, access=CASE_ACCESS),
        _staff(("actor",), CASE_ACCESS),
    ),
    not_personal=("case", "action", "at"),
)

DECLARATIONS = [PROFILE, CONFIRMATION, VISIT, SUPPORT, NOTICE, CASE, STEP]
