"""What personal data the registry holds, why, on which legal basis, and who may see it.

Read by safetynet/core/pipl.py to build the processing records (PIPL arts. 55–56). Every
field of every registry model is either in a group below or in ``not_personal``: a new
field without a declaration fails tests/accounts/test_pipl.py.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from safetynet.accounts.roles import (
    CHILD_WORKERS,
    REGISTRY_EDITORS,
    REGISTRY_READERS,
    REVEALERS,
)
from safetynet.core.pipl import (
    EDIT,
    FULL_VALUE,
    READ,
    STATUTORY_DUTY_SECURITY,
    Access,
    Category,
    Declaration,
    Group,
    Text,
)
from safetynet.policy import load_parameters
from safetynet.registry.access import CHILD_AGE
from safetynet.rules.parameters import highest_in_force

SOCIAL_ASSISTANCE = _(
    "PIPL art. 13(1)3, necessary to fulfil a statutory duty (within the statutory powers "
    "and procedures, art. 34): Interim Measures on Social Assistance (State Council Decree "
    "No. 649) and the Ministry of Civil Affairs' measures for reviewing and confirming "
    "minimum living guarantee and extreme-poverty support")
CHILD_PROTECTION = _(
    "PIPL art. 13(1)3 with the specific rules for children under 14 (art. 31): Law on the "
    "Protection of Minors and the Interim Measures on Social Assistance")
REGISTRY_RETENTION = _(
    "While the household is in the registry. Records are never hard-deleted: dissolved "
    "households and deceased persons stay for the archive, and earlier values stay in the "
    "change history; disposal follows the bureau's records retention schedule")
UPLOAD_RETENTION = _(
    "Kept under MEDIA_ROOT until an administrator removes them (no automatic removal yet)")

ELIGIBILITY = _("Decide and review eligibility for social assistance and compute amounts")
CONTACT_PURPOSE = _("Contact the household about applications, reviews and payments")

REGISTRY_ACCESS = (Access(READ, REGISTRY_READERS), Access(EDIT, REGISTRY_EDITORS))
NUMBER_ACCESS = (*REGISTRY_ACCESS, Access(FULL_VALUE, REVEALERS))
MINOR_ACCESS = (Access(READ, REGISTRY_READERS & CHILD_WORKERS),
                Access(EDIT, REGISTRY_EDITORS & CHILD_WORKERS))


def _child_age() -> str:
    """The PIPL child age in force today (``registry.pipl_child_age``), read when shown.

    From the parameter files (no database: the processing records are also built where
    there is none); the law's age is not a value a bureau changes."""
    return str(highest_in_force(CHILD_AGE, timezone.localdate(), params=load_parameters()))


CHILD_AGE_TODAY = lazy(_child_age, str)()


def _registry(title: Text, fields: tuple[str, ...], category: Category,
              purpose: Text = ELIGIBILITY, numbers: bool = False) -> Group:
    """A group of registry fields: statutory duty, registry retention, registry roles."""
    return Group(title=title, fields=fields, category=category, purpose=purpose,
                 basis=SOCIAL_ASSISTANCE, retention=REGISTRY_RETENTION,
                 access=NUMBER_ACCESS if numbers else REGISTRY_ACCESS)


PERSON = Declaration(
    model="registry.Person",
    subjects=_("Applicants, recipients and the members of their households"),
    groups=(
        _registry(_("Name, sex, dates of birth and death"),
                  ("name", "sex", "birth_date", "deceased_on"), Category.IDENTITY),
        _registry(_("ID number (encrypted, with its keyed search hash)"),
                  ("id_number", "id_number_index"), Category.ID_DOCUMENT, numbers=True),
        _registry(_("Phone number (encrypted, with its keyed search hash)"),
                  ("phone", "phone_index"), Category.CONTACT, CONTACT_PURPOSE, numbers=True),
        _registry(_("Place of residence"), ("area",), Category.CONTACT),
        _registry(_("Household, relation to the head, marital status"),
                  ("household", "relation", "marital_status"), Category.FAMILY),
        _registry(_("Education and work"),
                  ("education", "employment", "full_time_student"), Category.FAMILY),
        _registry(_("Disability, illness, self-care and elderly ability"),
                  ("disability_category", "disability_grade", "serious_illness",
                   "health_notes", "self_care", "ability_grade"), Category.HEALTH),
        _registry(_("Support situation: orphanhood, supporters, institution, not counted"),
                  ("no_able_supporter", "orphan_status", "in_institution", "not_counted"),
                  Category.ASSISTANCE),
        Group(
            title=format_lazy(_("Records of children under {age}"), age=CHILD_AGE_TODAY),
            fields=(), category=Category.MINORS,
            purpose=_("Protect and support children in difficulty; assistance for their "
                      "households"),
            basis=CHILD_PROTECTION, retention=REGISTRY_RETENTION, access=MINOR_ACCESS,
            applies_to=format_lazy(_("persons younger than {age}; every view is audited"),
                                   age=CHILD_AGE_TODAY),
        ),
    ),
    not_personal=("created_at",),
)

HOUSEHOLD = Declaration(
    model="registry.Household",
    subjects=_("Applicant and recipient households"),
    groups=(
        _registry(_("Household number and hukou type"), ("number", "hukou"),
                  Category.IDENTITY),
        _registry(_("Address and village"), ("area", "address"), Category.CONTACT,
                  CONTACT_PURPOSE),
        _registry(_("Phone number (encrypted, with its keyed search hash)"),
                  ("phone", "phone_index"), Category.CONTACT, CONTACT_PURPOSE, numbers=True),
        _registry(_("Paying bank and benefit card account (encrypted, with its keyed search "
                    "hash)"), ("bank_name", "bank_account", "bank_account_index"),
                  Category.FINANCIAL_ACCOUNT, _("Pay benefits into the household's account"),
                  numbers=True),
        _registry(_("Whether the household is active, and why it was dissolved"),
                  ("active", "dissolved_reason"), Category.ASSISTANCE),
    ),
    not_personal=("created_at",),
)


def _means(model: str, title: Text, owner: str, amount: str) -> Declaration:
    return Declaration(
        model=model, subjects=_("Members of applicant and recipient households"),
        groups=(_registry(title, (owner, "kind", amount, "note"), Category.FINANCES,
                          _("Means test: compare income and assets with the thresholds")),))


INCOME = _means("registry.IncomeItem", _("Incomes by type, monthly"), "person",
                "monthly_amount")
ASSET = _means("registry.Asset", _("Assets by type and value"), "household", "value")
EXPENSE = _means("registry.RigidExpense",
                 _("Rigid expenditures (medical, education, rehabilitation, disaster)"),
                 "household", "monthly_amount")

DUPLICATE = Declaration(
    model="registry.DuplicateFlag",
    subjects=_("Persons who may be recorded twice; staff who resolve it"),
    groups=(
        _registry(_("The two persons, their village and why they look alike"),
                  ("person", "candidate", "area", "reason"), Category.IDENTITY,
                  _("Keep one record per person (data quality, no double payment)")),
        Group(title=_("Who resolved the flag"), fields=("resolved_by",),
              category=Category.STAFF, purpose=_("Accountability for registry changes"),
              basis=STATUTORY_DUTY_SECURITY, retention=REGISTRY_RETENTION,
              access=REGISTRY_ACCESS),
    ),
    not_personal=("status", "created_at"),
)

IMPORT_JOB = Declaration(
    model="registry.ImportJob",
    subjects=_("Households and persons in uploaded workbooks; staff who upload them"),
    groups=(
        Group(title=_("Uploaded workbooks, their error reports and messages"),
              fields=("file", "original_name", "error_report", "message"),
              category=Category.EXTRACT,
              purpose=_("Bulk entry of registry records from Excel"),
              basis=SOCIAL_ASSISTANCE, retention=UPLOAD_RETENTION,
              access=(Access(READ, REGISTRY_EDITORS),)),
        Group(title=_("Who uploaded the workbook"), fields=("created_by",),
              category=Category.STAFF, purpose=_("Accountability for registry changes"),
              basis=STATUTORY_DUTY_SECURITY, retention=UPLOAD_RETENTION,
              access=(Access(READ, REGISTRY_EDITORS),)),
    ),
    not_personal=("created_at", "finished_at", "mode", "status", "total_rows",
                  "processed_rows", "created_households", "created_persons", "failed_rows",
                  "error_count", "language", "task_id"),
)

DECLARATIONS = [HOUSEHOLD, PERSON, INCOME, ASSET, EXPENSE, DUPLICATE, IMPORT_JOB]
