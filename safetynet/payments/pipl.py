"""What personal data the payroll holds (read by safetynet/core/pipl.py).

Payment lines are payments to households and persons with the benefit card account they
went to (financial account, encrypted); runs and bank files name the staff who prepared,
approved and exported them; overpayments record money to recover from a household.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from safetynet.core.pipl import (
    EDIT,
    READ,
    STATUTORY_DUTY_SECURITY,
    Access,
    Category,
    Declaration,
    Group,
)
from safetynet.payments.permissions import APPROVERS, PREPARERS, READERS
from safetynet.registry.pipl import SOCIAL_ASSISTANCE

RETENTION = _("Kept as accounting records (never hard-deleted); disposal follows the "
              "bureau's accounting records retention schedule")
PAY = _("Pay benefits through the paying bank and account for every payment")
ACCESS = (Access(READ, READERS), Access(EDIT, PREPARERS))


def _staff(fields: tuple[str, ...]) -> Group:
    return Group(title=_("Staff who prepared, checked, approved or sent it"), fields=fields,
                 category=Category.STAFF, purpose=_("Maker-checker accountability"),
                 basis=STATUTORY_DUTY_SECURITY, retention=RETENTION,
                 access=(Access(READ, READERS | APPROVERS),))


RUN = Declaration(
    model="payments.PayrollRun",
    subjects=_("Staff who prepare and approve payrolls"),
    groups=(_staff(("prepared_by", "checked_by", "approved_by", "rejected_by")),),
    not_personal=("program", "period", "months", "kind", "reissue_of", "status", "lines",
                  "total", "control", "warnings", "prepared_at", "checked_at", "approved_at",
                  "decision_note", "exported_at", "message", "created_at"),
)
LINE = Declaration(
    model="payments.PaymentLine",
    subjects=_("Recipient households and persons"),
    groups=(
        Group(title=_("Payment: beneficiary, programme, period, amount, bank's answer"),
              fields=("program", "period", "beneficiary", "enrollment", "household", "person",
                      "area", "township", "months", "monthly_amount", "amount", "persons",
                      "status", "bank_reason", "bank_reference", "returned_at", "original"),
              category=Category.ASSISTANCE, purpose=PAY, basis=SOCIAL_ASSISTANCE,
              retention=RETENTION, access=ACCESS),
        Group(title=_("Paying bank and benefit card account paid to (encrypted, with its "
                      "keyed search hash)"),
              fields=("bank_name", "bank_account", "bank_account_index"),
              category=Category.FINANCIAL_ACCOUNT, purpose=PAY, basis=SOCIAL_ASSISTANCE,
              retention=RETENTION, access=ACCESS),
    ),
    not_personal=("run",),
)
BANK_FILE = Declaration(
    model="payments.BankFile",
    subjects=_("Staff who send and import bank files"),
    groups=(_staff(("created_by",)),),
    not_personal=("run", "direction", "name", "format", "adapter", "sha256", "lines", "total",
                  "summary", "created_at"),
)
OVERPAYMENT = Declaration(
    model="payments.Overpayment",
    subjects=_("Households that were paid too much"),
    groups=(Group(title=_("Money to recover and why"),
                  fields=("line", "household", "area", "amount", "recovered", "reason",
                          "status"),
                  category=Category.ASSISTANCE, purpose=_("Recover overpaid benefits"),
                  basis=SOCIAL_ASSISTANCE, retention=RETENTION, access=ACCESS),
            _staff(("created_by",))),
    not_personal=("created_at",),
)
RECOVERY = Declaration(
    model="payments.Recovery",
    subjects=_("Households that were paid too much"),
    groups=(Group(title=_("Money recovered"), fields=("overpayment", "amount", "on", "note"),
                  category=Category.ASSISTANCE, purpose=_("Recover overpaid benefits"),
                  basis=SOCIAL_ASSISTANCE, retention=RETENTION, access=ACCESS),
            _staff(("user",))),
    not_personal=("at",),
)

DECLARATIONS = [RUN, LINE, BANK_FILE, OVERPAYMENT, RECOVERY]
