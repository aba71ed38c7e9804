"""The age-friendly modification catalogue: 30 items in 7 groups (after the national list of
recommended modifications for elderly homes). The 7 basic items are paid by the government,
the 23 optional ones by the household. The unit prices are the dated parameter
``eldercare.modification_prices`` (illustrative demo figures); the plan records the price it
was agreed at, so a new price never changes an existing plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from safetynet.core.money import from_fen
from safetynet.rules.parameters import parameter_entries

GROUPS: dict[str, Promise] = {
    "floor": _("Floor"), "doors": _("Doors"), "bedroom": _("Bedroom"),
    "bath": _("Toilet and bath"), "kitchen": _("Kitchen"),
    "environment": _("Physical environment"), "aids": _("Aids for the elderly"),
}


@dataclass(frozen=True)
class CatalogueItem:
    code: str
    group: str
    label: Promise
    unit: Promise
    basic: bool = False


EACH, SQM, METRE, SET = _("each"), _("m²"), _("m"), _("set")


def _i(code: str, group: str, label: Promise, unit: Promise,
       basic: bool = False) -> CatalogueItem:
    return CatalogueItem(code, group, label, unit, basic)


CATALOGUE: tuple[CatalogueItem, ...] = (
    _i("anti_slip", "floor", _("Anti-slip floor treatment"), SQM, basic=True),
    _i("level_fix", "floor", _("Ramp / level-difference fix"), EACH, basic=True),
    _i("floor_levelling", "floor", _("Floor levelling and hardening"), SQM),
    _i("door_widening", "doors", _("Door widening"), EACH),
    _i("lever_handle", "doors", _("Lever door handle"), EACH),
    _i("sliding_door", "doors", _("Sliding door"), EACH),
    _i("bedside_rail", "bedroom", _("Bedside rail"), EACH, basic=True),
    _i("care_bed", "bedroom", _("Care bed"), EACH),
    _i("bed_height", "bedroom", _("Bed height adjustment"), EACH),
    _i("grab_bars", "bath", _("Grab bars"), METRE, basic=True),
    _i("shower_chair", "bath", _("Shower chair"), EACH, basic=True),
    _i("raised_toilet_seat", "bath", _("Raised toilet seat"), EACH),
    _i("squat_to_seat", "bath", _("Squat toilet replaced by a seat toilet"), EACH),
    _i("thermostatic_shower", "bath", _("Thermostatic shower"), EACH),
    _i("bath_mat", "bath", _("Anti-slip bath mat"), EACH),
    _i("gas_valve", "kitchen", _("Gas safety valve"), EACH),
    _i("lowered_counter", "kitchen", _("Lowered kitchen counter"), METRE),
    _i("induction_cooker", "kitchen", _("Induction cooker"), EACH),
    _i("lighting", "environment", _("Brighter lighting"), EACH),
    _i("night_light", "environment", _("Sensor night light"), EACH),
    _i("light_switches", "environment", _("Large light switches at reach"), EACH),
    _i("emergency_call", "environment", _("Emergency call button"), SET),
    _i("smoke_alarm", "environment", _("Smoke alarm"), EACH),
    _i("gas_alarm", "environment", _("Gas alarm"), EACH),
    _i("walking_stick", "aids", _("Walking stick"), EACH, basic=True),
    _i("anti_wandering", "aids", _("Anti-wandering device"), EACH, basic=True),
    _i("wheelchair", "aids", _("Wheelchair"), EACH),
    _i("walker", "aids", _("Walking frame"), EACH),
    _i("pressure_mattress", "aids", _("Pressure-relief mattress"), EACH),
    _i("commode_chair", "aids", _("Commode chair"), EACH),
)
BY_CODE = {item.code: item for item in CATALOGUE}
BASIC = frozenset(item.code for item in CATALOGUE if item.basic)
PRICES = "eldercare.modification_prices"


def prices(area_code: str, on: date) -> dict[str, Decimal]:
    """Yuan per unit of every item, in force for the area on the date."""
    return {code: from_fen(fen) for code, fen in parameter_entries(PRICES, area_code, on).items()}
