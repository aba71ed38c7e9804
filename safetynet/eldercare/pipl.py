"""What personal data elderly care holds (read by safetynet/core/pipl.py).

Assessments record an elderly person's abilities and diagnoses (health data); orders and
visits show who receives purchased home care, when a worker was in the home, what was done,
a photo and who confirmed it; stays show who lives in which institution and why; plans
show a household's home modification; covers name the insured.
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
from safetynet.eldercare.permissions import MANAGERS, VIEWERS
from safetynet.registry.pipl import SOCIAL_ASSISTANCE

RETENTION = _("Kept with the elderly-care record (never hard-deleted); disposal follows the "
              "bureau's records retention schedule")
CARE_PURPOSE = _("Provide, check and pay for elderly-care services the county buys")
ASSESS_PURPOSE = _("Assess an elderly person's ability to decide the care they are "
                   "entitled to")
ACCOUNTABILITY = _("Accountability: who recorded, computed and approved")
PROVIDERS = frozenset({Role.PROVIDER})
CARE_ACCESS = (Access(READ, VIEWERS), Access(EDIT, MANAGERS))
VISIT_ACCESS = (*CARE_ACCESS, Access(EDIT, PROVIDERS))


def _care(title: Text, fields: tuple[str, ...], category: Category,
          access: tuple[Access, ...] = CARE_ACCESS, purpose: Text = CARE_PURPOSE) -> Group:
    return Group(title=title, fields=fields, category=category, purpose=purpose,
                 basis=SOCIAL_ASSISTANCE, retention=RETENTION, access=access)


def _staff(fields: tuple[str, ...]) -> Group:
    return Group(title=_("Staff who handled the record"), fields=fields,
                 category=Category.STAFF, purpose=ACCOUNTABILITY, basis=STATUTORY_DUTY_SECURITY,
                 retention=RETENTION, access=(Access(READ, VIEWERS),))


ASSESSMENT = Declaration(
    model="eldercare.Assessment",
    subjects=_("Elderly people assessed"),
    groups=(
        _care(_("Who was assessed, where"), ("person", "area"), Category.IDENTITY,
              (Access(READ, REGISTRY_READERS), Access(EDIT, REGISTRY_EDITORS)),
              ASSESS_PURPOSE),
        _care(_("Ability scores, diagnoses, care-risk events and grade"),
              ("assessed_on", "scores", "dementia", "psychiatric", "risk_events",
               "self_care_score", "motor_score", "mental_score", "perception_score", "total",
               "preliminary_grade", "grade", "next_due", "note"), Category.HEALTH,
              (Access(READ, REGISTRY_READERS), Access(EDIT, REGISTRY_EDITORS)),
              ASSESS_PURPOSE),
        _staff(("assessor",)),
    ),
    not_personal=("created_at",),
)

PROVIDER = Declaration(
    model="eldercare.Provider",
    subjects=_("Contact persons of service providers"),
    groups=(Group(title=_("The provider's contact person and phone"),
                  fields=("contact_person", "phone"), category=Category.CONTACT,
                  purpose=CARE_PURPOSE, basis=SOCIAL_ASSISTANCE, retention=RETENTION,
                  access=CARE_ACCESS),),
    not_personal=("name", "credit_code", "address", "active", "created_at"),
)

PROVIDER_STAFF = Declaration(
    model="eldercare.ProviderStaff",
    subjects=_("Workers of service providers"),
    groups=(_staff(("user", "provider", "active")),),
)

ORDER = Declaration(
    model="eldercare.ServiceOrder",
    subjects=_("Elderly people who receive purchased home care"),
    groups=(
        _care(_("Who receives home care, where, from which provider, worth how much"),
              ("person", "household", "area", "provider", "entitlement"), Category.ASSISTANCE,
              VISIT_ACCESS),
        _staff(("created_by",)),
    ),
    not_personal=("month", "contract", "created_at"),
)

VISIT = Declaration(
    model="eldercare.Visit",
    subjects=_("Elderly people visited, their families and the workers"),
    groups=(
        _care(_("When the worker was in the home, what was noted, a photo and who confirmed"),
              ("order", "started_at", "ended_at", "value", "notes", "photo", "confirmation",
               "confirmer_name", "flags", "voided", "void_reason"), Category.ASSISTANCE,
              VISIT_ACCESS),
        _staff(("worker",)),
    ),
    not_personal=("recorded_at", "updated_at"),
)

VISIT_ITEM = Declaration(
    model="eldercare.VisitItem",
    subjects=_("Elderly people visited"),
    groups=(_care(_("Services done in the home"), ("visit", "item", "quantity"),
                  Category.ASSISTANCE, VISIT_ACCESS),),
    not_personal=("unit_price", "amount"),
)

STATEMENT = Declaration(
    model="eldercare.Statement",
    subjects=_("Staff who computed and approved statements"),
    groups=(_staff(("computed_by", "approved_by")),),
    not_personal=("provider", "month", "status", "orders", "compliant", "amount",
                  "computed_at", "approved_at"),
)

STATEMENT_LINE = Declaration(
    model="eldercare.StatementLine",
    subjects=_("Elderly people who receive purchased home care"),
    groups=(_care(_("Whether each person's month was delivered and what is paid for it"),
                  ("order", "visits", "minutes", "value", "entitlement", "payable", "reasons"),
                  Category.ASSISTANCE),),
    not_personal=("statement",),
)

STAY = Declaration(
    model="eldercare.Stay",
    subjects=_("Residents and day-care or rehabilitation users of care institutions"),
    groups=(
        _care(_("Who stays in which institution, why, from when to when"),
              ("institution", "person", "area", "kind", "bed_type", "admitted_on",
               "discharged_on", "discharge_reason"), Category.ASSISTANCE),
        _staff(("admitted_by", "discharged_by")),
    ),
)

PLAN = Declaration(
    model="eldercare.ModificationPlan",
    subjects=_("Elderly people and households whose homes are modified"),
    groups=(
        _care(_("Whose home, why eligible, the plan, costs, photos and acceptance"),
              ("household", "person", "area", "year", "application_id", "status",
               "eligibility", "contractor", "government_cost", "own_cost", "before_photo",
               "after_photo", "started_on", "accepted_on", "acceptance_note"),
              Category.ASSISTANCE),
        _staff(("created_by", "accepted_by")),
    ),
    not_personal=("created_at",),
)

PLAN_ITEM = Declaration(
    model="eldercare.PlanItem",
    subjects=_("Households whose homes are modified"),
    groups=(_care(_("Items installed in the home"), ("plan", "code", "quantity", "amount",
                                                       "government_paid"),
                  Category.ASSISTANCE),),
    not_personal=("unit_price",),
)

COVER = Declaration(
    model="eldercare.Cover",
    subjects=_("Supported elderly people insured against accidents"),
    groups=(_care(_("Who is insured, from when to when, the premium"),
                  ("person", "institution", "area", "units", "added_on", "removed_on",
                   "premium", "note"), Category.ASSISTANCE),),
    not_personal=("policy",),
)

DECLARATIONS = [ASSESSMENT, PROVIDER, PROVIDER_STAFF, ORDER, VISIT, VISIT_ITEM, STATEMENT,
                STATEMENT_LINE, STAY, PLAN, PLAN_ITEM, COVER]

NON_PERSONAL: dict[str, Text] = {
    "eldercare.Contract": _("Purchase contracts with service providers (organisations)"),
    "eldercare.ContractPrice": _("Prices of service items"),
    "eldercare.Institution": _("Care institutions (organisations) and their places"),
    "eldercare.Beds": _("Numbers of beds"),
    "eldercare.InsurancePolicy": _("Insurance policies bought by the county"),
}
