"""One module per programme; each exposes ``NAME``, ``compute(ctx)`` and ``explain``."""

from safetynet.policy.programs import (
    dibao,
    disability_living,
    disability_nursing,
    elderly_allowance,
    home_care,
    low_income,
    orphan_allowance,
    rigid_expenditure,
    tekun_basic,
    tekun_care,
)

# Dependency order: orphans before tekun (orphan wins), tekun before dibao (excluded
# members), dibao before the categories and the programmes that depend on dibao cover.
ORDER = (
    orphan_allowance,
    tekun_basic,
    tekun_care,
    dibao,
    low_income,
    rigid_expenditure,
    disability_living,
    disability_nursing,
    elderly_allowance,
    home_care,
)
PERSON_PROGRAMS = (
    tekun_basic,
    tekun_care,
    disability_living,
    disability_nursing,
    orphan_allowance,
    elderly_allowance,
    home_care,
)
PROGRAM_NAMES = (
    "dibao",
    "tekun_basic",
    "tekun_care",
    "disability_living",
    "disability_nursing",
    "orphan_allowance",
    "elderly_allowance",
    "home_care",
)
CATEGORY_NAMES = ("low_income", "rigid_expenditure")
