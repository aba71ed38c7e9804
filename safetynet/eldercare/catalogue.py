"""The age-friendly modification catalogue: 30 items in 7 groups (after the national list of
recommended modifications for elderly homes). The 7 basic items are paid by the government,
the 23 optional ones by the household. Unit prices are illustrative demo figures; the plan
records the price it was agreed at, so changing one here never changes an existing plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

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
    price: Decimal
    basic: bool = False


EACH, SQM, METRE, SET = _("each"), _("m²"), _("m"), _("set")


def _i(code: str, group: str, label: Promise, unit: Promise, price: str,
       basic: bool = False) -> CatalogueItem:
    return CatalogueItem(code, group, label, unit, Decimal(price), basic)


CATALOGUE: tuple[CatalogueItem, ...] = (
    _i("anti_slip", "floor", _("Anti-slip floor treatment"), SQM, "60", basic=True),
    _i("level_fix", "floor", _("Ramp / level-difference fix"), EACH, "300", basic=True),
    _i("floor_levelling", "floor", _("Floor levelling and hardening"), SQM, "80"),
    _i("door_widening", "doors", _("Door widening"), EACH, "800"),
    _i("lever_handle", "doors", _("Lever door handle"), EACH, "80"),
    _i("sliding_door", "doors", _("Sliding door"), EACH, "900"),
    _i("bedside_rail", "bedroom", _("Bedside rail"), EACH, "200", basic=True),
    _i("care_bed", "bedroom", _("Care bed"), EACH, "1800"),
    _i("bed_height", "bedroom", _("Bed height adjustment"), EACH, "150"),
    _i("grab_bars", "bath", _("Grab bars"), METRE, "150", basic=True),
    _i("shower_chair", "bath", _("Shower chair"), EACH, "150", basic=True),
    _i("raised_toilet_seat", "bath", _("Raised toilet seat"), EACH, "200"),
    _i("squat_to_seat", "bath", _("Squat toilet replaced by a seat toilet"), EACH, "900"),
    _i("thermostatic_shower", "bath", _("Thermostatic shower"), EACH, "600"),
    _i("bath_mat", "bath", _("Anti-slip bath mat"), EACH, "60"),
    _i("gas_valve", "kitchen", _("Gas safety valve"), EACH, "300"),
    _i("lowered_counter", "kitchen", _("Lowered kitchen counter"), METRE, "700"),
    _i("induction_cooker", "kitchen", _("Induction cooker"), EACH, "300"),
    _i("lighting", "environment", _("Brighter lighting"), EACH, "120"),
    _i("night_light", "environment", _("Sensor night light"), EACH, "50"),
    _i("light_switches", "environment", _("Large light switches at reach"), EACH, "60"),
    _i("emergency_call", "environment", _("Emergency call button"), SET, "400"),
    _i("smoke_alarm", "environment", _("Smoke alarm"), EACH, "150"),
    _i("gas_alarm", "environment", _("Gas alarm"), EACH, "200"),
    _i("walking_stick", "aids", _("Walking stick"), EACH, "80", basic=True),
    _i("anti_wandering", "aids", _("Anti-wandering device"), EACH, "300", basic=True),
    _i("wheelchair", "aids", _("Wheelchair"), EACH, "800"),
    _i("walker", "aids", _("Walking frame"), EACH, "200"),
    _i("pressure_mattress", "aids", _("Pressure-relief mattress"), EACH, "500"),
    _i("commode_chair", "aids", _("Commode chair"), EACH, "300"),
)
BY_CODE = {item.code: item for item in CATALOGUE}
BASIC = frozenset(item.code for item in CATALOGUE if item.basic)
