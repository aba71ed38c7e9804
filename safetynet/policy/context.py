"""The evaluation context shared by the programme modules, and integer money helpers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np
from numba.extending import register_jitable
from numpy.typing import NDArray

from safetynet.policy.columns import Households, Persons
from safetynet.policy.params import RATIO_SCALE
from safetynet.policy.resolve import Int, IntArray, Resolver

BoolArray = NDArray[np.bool_]
# A formula's argument or result: an array (person or household) in the readable path, a
# scalar of one person or household in the compiled kernel (safetynet/policy/kernel.py).
V = Any
F = TypeVar("F", bound=Callable[..., Any])

# The parameter table: every (parameter, key) a formula reads, in order of declaration.
PARAMETER_COLUMNS: list[tuple[str, str | None]] = []


def parameter(name: str, key: str | None = None) -> int:
    """Declare that a formula reads parameter ``name`` (entry ``key``); returns its column
    in the parameter table, which formulas index as ``t[COLUMN]``. The readable path's
    ``t`` resolves the column per person (``Context.row``), the kernel's is the table row
    of the person's household."""
    item = (name, key)
    if item not in PARAMETER_COLUMNS:
        PARAMETER_COLUMNS.append(item)
    return PARAMETER_COLUMNS.index(item)


def formula(function: F) -> F:
    """Mark a rule written once for both paths: only operators that work on NumPy arrays and
    on scalars alike (comparisons, ``&``, ``|``, ``~``, arithmetic, other formulas; no
    ``if``/``and``/``or``/``not``). Called on arrays by the readable modules; the compiled
    kernel calls the same function on one person's values (numba's ``register_jitable``)."""
    # Inlined into the kernel (numba IR), so that the compiler hoists what depends only on
    # the household (amounts in yuan of the parameter row) out of the loop over persons.
    register_jitable(inline="always")(function)
    return function


S_URBAN = parameter("dibao.standard", "urban")
S_RURAL = parameter("dibao.standard", "rural")


@dataclass
class Context:
    """Columns, parameters and the results of programmes already evaluated.

    Programmes run in dependency order (orphan -> tekun -> dibao -> the rest) and store
    their arrays in ``results`` under their name; ``facts`` holds intermediate arrays
    that explanations and later programmes reuse.
    """

    on: dt.date
    persons: Persons
    households: Households
    params: Resolver
    results: dict[str, IntArray] = field(default_factory=dict)
    facts: dict[str, NDArray[Any]] = field(default_factory=dict)
    _standard: Int | None = None

    @property
    def n_households(self) -> int:
        return len(self.households)

    @property
    def hh(self) -> IntArray:
        return self.persons.hh

    def standard(self) -> Int:
        """The dibao standard S per household (fen), by area and hukou type."""
        if self._standard is None:
            urban = self.params.get("dibao.standard", "urban")
            rural = self.params.get("dibao.standard", "rural")
            same = isinstance(urban, int) and isinstance(rural, int) and urban == rural
            self._standard = urban if same else np.where(self.households.urban, urban, rural)
        return self._standard

    def per_person(self, value: Int) -> Int:
        """A household-level value (scalar or array) spread to the household's persons."""
        return value if isinstance(value, int) else value[self.hh]

    def household_sum(self, values: NDArray[np.generic]) -> IntArray:
        """Sum a per-person integer or boolean array over households (exact for < 2**53)."""
        weights = values.astype(np.float64, copy=False)
        summed = np.bincount(self.hh, weights=weights, minlength=self.n_households)
        return summed.astype(np.int64)

    def household_count(self, mask: BoolArray) -> IntArray:
        return np.bincount(self.hh[mask], minlength=self.n_households).astype(np.int64)

    def row(self, per_person: bool = True) -> ParameterRow:
        """The parameter table as formulas read it: ``row()[COLUMN]`` per person,
        ``row(False)[COLUMN]`` per household."""
        return ParameterRow(self, per_person)


@dataclass(frozen=True)
class ParameterRow:
    ctx: Context
    per_person: bool

    def __getitem__(self, column: int) -> Int:
        name, key = PARAMETER_COLUMNS[column]
        value = self.ctx.params.get(name, key)
        return self.ctx.per_person(value) if self.per_person else value


@formula
def yuan_half_up(fen: Int) -> Int:
    """Fen -> whole yuan, rounding halves up (amounts are never negative here)."""
    return (fen + 50) // 100


@formula
def ratio_yuan_half_up(fen: Int, ratio: Int) -> Int:
    """``fen x ratio`` (ratio in ten-thousandths) -> whole yuan, half up, in integers."""
    return (fen * ratio + 50 * RATIO_SCALE) // (100 * RATIO_SCALE)


def to_yuan(fen: Int) -> str:
    """Fen as a readable yuan figure: 1,250 or 1,250.5 (explanations only)."""
    value = int(fen)
    whole, cents = divmod(abs(value), 100)
    sign = "-" if value < 0 else ""
    if cents == 0:
        return f"{sign}{whole:,}"
    return f"{sign}{whole:,}.{cents:02d}".rstrip("0")


def pick(value: Int, index: int) -> int:
    """One household's (or person's) value of a scalar-or-array parameter."""
    return int(value) if isinstance(value, int) else int(value[index])
