"""Names of programmes, categories, units and need assessment terms for the screens."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

PROGRAMS: dict[str, Promise] = {
    "dibao": _("Minimum living allowance (dibao)"),
    "tekun_basic": _("Extreme-poverty support: basic living"),
    "tekun_care": _("Extreme-poverty support: care"),
    "disability_living": _("Living allowance for people with disabilities in need"),
    "disability_nursing": _("Nursing allowance for severely disabled people"),
    "orphan_allowance": _("Orphan basic living allowance"),
    "elderly_allowance": _("Old-age allowance"),
    "home_care": _("Home-care services"),
}
CATEGORIES: dict[str, Promise] = {
    "low_income": _("Low-income household"),
    "rigid_expenditure": _("Household in hardship from rigid expenditure"),
}
UNITS: dict[str, Promise] = {
    "yuan_per_month": _("yuan per month"),
    "yuan": _("yuan"),
    "ratio": _("ratio"),
    "months": _("months"),
    "years": _("years"),
    "count": _("count"),
    "grade": _("grade"),
    "points": _("points"),
    "working_days": _("working days"),
    "flag": _("yes / no"),
}
NEED_LEVELS: dict[str, Promise] = {
    "none": _("No marked need"),
    "low": _("Low need"),
    "medium": _("Medium need"),
    "high": _("High need"),
}
NEED_DIMENSIONS: dict[str, Promise] = {
    "health": _("Health"),
    "labour": _("Labour capacity"),
    "living": _("Living conditions"),
    "property": _("Property"),
    "expenditure": _("Rigid expenditure"),
}
RECOMMENDATIONS: dict[str, Promise] = {
    "dibao": _("Dibao"),
    "tekun": _("Extreme-poverty support"),
    "temporary": _("Temporary assistance"),
    "medical_referral": _("Medical assistance referral"),
    "education_referral": _("Education assistance referral"),
    "housing_referral": _("Housing assistance referral"),
    "employment_referral": _("Employment assistance referral"),
    "care_services": _("Care services"),
}

# Scopes above the county have no Area record: the province and city of the parameters.
REGIONS: dict[str, Promise] = {
    "32": _("Jiangsu Province"),
    "3207": _("Lianyungang City"),
}


def program_label(name: str) -> str:
    return str(PROGRAMS.get(name, name))


def engine_language(language: str | None) -> str:
    """The engine's explanation language ("zh" or "en") for a Django language code."""
    return "en" if (language or "").startswith("en") else "zh"


def parameter_problem(key: str, message: str) -> str:
    """A ParameterError for a person: a translated sentence around the engine's detail."""
    return str(_("%(name)s: the value does not fit the parameter (%(detail)s)")
               % {"name": key, "detail": message})
