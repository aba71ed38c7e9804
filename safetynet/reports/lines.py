"""Which paid payment lines make which money figure.

A payment figure is a set of programmes (and, for dibao, the household's hukou type) over
the **paid** payment lines whose period (the month paid for; the quarter's first month for
quarterly programmes, the month of the grant for one-off ones) falls in the report's
months, inside the report's area and the user's jurisdiction. Households are distinct
households; persons are distinct persons for person-level programmes, and for
household-level ones (dibao, temporary assistance) the sum over distinct households of the
most persons a line of theirs covered in the period. So a person paid by two programmes of
a combined figure (tekun = basic + care, disability = living + nursing) counts once.
``reports.ledger`` counts them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from safetynet.benefits.models import Program


@dataclass(frozen=True)
class PaymentFigure:
    key: str
    label: Promise
    programs: tuple[str, ...]
    household_level: bool = False  # persons = persons covered per household
    hukou: str = ""  # "urban" / "rural" when the figure splits dibao


PAYMENT_FIGURES: tuple[PaymentFigure, ...] = (
    PaymentFigure("dibao_rural", _("Rural dibao"), (Program.DIBAO,), True, "rural"),
    PaymentFigure("dibao_urban", _("Urban dibao"), (Program.DIBAO,), True, "urban"),
    PaymentFigure("tekun_basic", _("Extreme-poverty support: basic living"),
                  (Program.TEKUN_BASIC,)),
    PaymentFigure("tekun_care", _("Extreme-poverty support: care"), (Program.TEKUN_CARE,)),
    PaymentFigure("tekun", _("Extreme-poverty support (basic + care)"),
                  (Program.TEKUN_BASIC, Program.TEKUN_CARE)),
    PaymentFigure("temporary", _("Temporary assistance"), (Program.TEMPORARY,), True),
    PaymentFigure("disability_living", _("Disability living allowance"),
                  (Program.DISABILITY_LIVING,)),
    PaymentFigure("disability_nursing", _("Severe disability nursing allowance"),
                  (Program.DISABILITY_NURSING,)),
    PaymentFigure("disability", _("Disability two allowances (both)"),
                  (Program.DISABILITY_LIVING, Program.DISABILITY_NURSING)),
    PaymentFigure("orphan_allowance", _("Orphan basic living allowance"),
                  (Program.ORPHAN_ALLOWANCE,)),
    PaymentFigure("elderly_allowance", _("Old-age allowance"), (Program.ELDERLY_ALLOWANCE,)),
)
PAYMENT_BY_KEY = {f.key: f for f in PAYMENT_FIGURES}
