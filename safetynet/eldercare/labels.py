"""Words for the codes of compliance.py (shortfall reasons and implausibility flags)."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

from safetynet.eldercare import compliance as c

LABELS = {
    c.NO_VISIT: _("no visit"),
    c.TOO_SHORT: _("no visit of at least the minimum length"),
    c.TOO_FEW_VISITS: _("too few visits"),
    c.TOO_LITTLE_VALUE: _("value below the entitlement"),
    c.OVERLAP: _("two places at once"),
    c.DECEASED: _("visit after death"),
    c.BAD_DURATION: _("check-out not after check-in"),
    c.TOO_LONG: _("implausibly long"),
    c.OUTSIDE_MONTH: _("outside the order's month"),
}


def words(codes: Iterable[str]) -> str:
    return "；".join(str(LABELS.get(code, code)) for code in codes)
