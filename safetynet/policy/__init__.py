"""SafetyNet rules as code: dated parameters and vectorised programme rules.

Pure Python + NumPy + Polars; imports no Django and no other safetynet app.
"""

from safetynet.policy.columns import ColumnError
from safetynet.policy.engine import evaluate, household_categories
from safetynet.policy.jsonio import PolicyInputError, evaluate_json
from safetynet.policy.need import assess_need
from safetynet.policy.params import DatedChange, ParameterError, ParameterSet, load_parameters
from safetynet.policy.programs.temporary import TemporaryAssistance, temporary_assistance

__all__ = [
    "ColumnError",
    "DatedChange",
    "ParameterError",
    "ParameterSet",
    "PolicyInputError",
    "TemporaryAssistance",
    "assess_need",
    "evaluate",
    "evaluate_json",
    "household_categories",
    "load_parameters",
    "temporary_assistance",
]
