"""What personal data the statistics hold (read by safetynet/core/pipl.py).

The ledger keeps, per payment figure, year and beneficiary, the amounts paid and persons
covered by month: derived from the payment lines so that figures can be counted quickly,
rebuilt from them at any time. The village months and the monthly reports are totals.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from safetynet.core.pipl import READ, Access, Category, Declaration, Group, Text
from safetynet.registry.pipl import SOCIAL_ASSISTANCE
from safetynet.reports.permissions import READERS

LEDGER = Declaration(
    model="reports.LedgerRow",
    subjects=_("Recipient households and persons"),
    groups=(Group(
        title=_("Amounts paid and persons covered by month, per beneficiary and payment "
                "figure (derived from the payment lines)"),
        fields=("figure", "year", "household_id", "person_id", "area", "township",
                *(f"f{m}" for m in range(1, 13)), *(f"p{m}" for m in range(1, 13))),
        category=Category.ASSISTANCE,
        purpose=_("Statistics of the programmes and the lists of who was paid behind them"),
        basis=SOCIAL_ASSISTANCE,
        retention=_("Rebuilt from the payment lines whenever they change; removed with them"),
        access=(Access(READ, READERS),)),),
)

DECLARATIONS = [LEDGER]

NON_PERSONAL: dict[str, Text] = {
    "reports.LedgerMonth": _("Totals of each payment figure per village and month"),
    "reports.LedgerState": _("Which payroll data the statistics' ledger was built from"),
    "reports.MonthlyReport": _("Monthly statistics of an area: totals only"),
}
