"""Fused compiled kernel for :func:`safetynet.policy.evaluate` (the bulk path).

The programme modules under ``programs/`` are the one source of every rule: each writes
its eligibility and amount as formulas (``context.formula``) over the person's and
household's values and the parameters it declares (``context.parameter``), calls them on
NumPy arrays to compute and explain each amount (the readable path), and the compiled
loop in ``policy/kernel.py`` calls the same functions on one person at a time. This
module turns the input columns into what that loop reads (physical values, mostly
without copies), resolves the declared parameters into a table of distinct rows, runs the
loop on threads over household ranges and builds the result frame from its row buffers.
``tests/policy/test_fast.py`` checks on random households that both paths agree row for
row, ``tests/policy/test_reference.py`` against an independent reference.

The kernel is compiled on first use and cached on disk (``cache=True``) under a name that
changes with its sources (``kernel_module``), so only the first call after a change pays
the compilation (several seconds); later processes load it (about 0.5 s on the first
call). See docs/rules.md "How the kernel is derived" and §5 "Performance".
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import importlib.util
import os
import sys
import tempfile
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TypeVar, cast

import numba
import numpy as np
import polars as pl
import pyarrow as pa
from numpy.typing import NDArray

from safetynet.policy import buffers, programs
from safetynet.policy.columns import (
    DISABILITY_CATEGORIES,
    HOUSEHOLD_FIELDS,
    HUKOU_TYPES,
    MAX_AGE,
    ORPHAN_STATUSES,
    PERSON_FIELDS,
    SELF_CARE_LEVELS,
    ColumnError,
    _codes,
    _fen,
    _require,
    age_table,
    code_of,
    household_index,
)
from safetynet.policy.context import PARAMETER_COLUMNS
from safetynet.policy.params import ParameterSet
from safetynet.policy.programs import elderly_allowance
from safetynet.policy.resolve import Int, IntArray, Resolver

POLICY = Path(__file__).resolve().parent
# The files whose text the compiled kernel depends on (see kernel_module).
KERNEL_SOURCES = (
    POLICY / "kernel.py",
    POLICY / "context.py",
    POLICY / "columns.py",
    *sorted(Path(programs.__file__).resolve().parent.glob("*.py")),
)


def kernel_module() -> ModuleType:
    """``policy/kernel.py``, imported from a copy named by a hash of the kernel's sources.

    numba's on-disk cache (``cache=True``) is keyed on the file that defines a function
    and treats the globals it reads as constants: a cached kernel would survive a change
    to a formula, or to a parameter's column, in a programme module (measured: it did).
    The copy's name changes with any of ``KERNEL_SOURCES``, so such a change compiles a
    new kernel (once; later processes load it). The copies live in
    ``$SAFETYNET_KERNEL_DIR`` (default: a directory of the user's in the temp dir)."""
    digest = hashlib.sha256()
    for path in KERNEL_SOURCES:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    name = f"safetynet_policy_kernel_{digest.hexdigest()[:16]}"
    if name in sys.modules:
        return sys.modules[name]
    default = Path(tempfile.gettempdir()) / f"safetynet-kernel-{os.getuid()}"
    directory = Path(os.environ.get("SAFETYNET_KERNEL_DIR") or default)
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / f"{name}.py"
    if not target.exists():
        partial = directory / f".{name}.{os.getpid()}.tmp"
        partial.write_bytes((POLICY / "kernel.py").read_bytes())
        os.replace(partial, target)
    spec = importlib.util.spec_from_file_location(name, target)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load the policy kernel from {target}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    return module


KERNEL = kernel_module()

# The parameter table's columns: every parameter(...) the programme modules declare, then
# the elderly-allowance brackets (youngest first).
FIXED_PARAMETERS: tuple[tuple[str, str | None], ...] = tuple(PARAMETER_COLUMNS)

URBAN = code_of("urban", HUKOU_TYPES)
N_SEGMENTS = 9  # dibao (household), dibao (single), then the PERSON_PROGRAMS in order
SEGMENT_PROGRAM = np.array([0, 0, 1, 2, 3, 4, 5, 6, 7], np.int8)  # index into PROGRAM_NAMES

SmallArray = NDArray[np.int8]
ROW_AMOUNT = np.empty(0, np.int64)  # the dtype of the amounts of the kernel's rows
STATE = np.empty(0, np.int16)  # the dtype of the kernel's scratch per person
NO_ORDER = np.empty(0, np.int64)  # persons already in household order
# Threads for large inputs: the usable cores, at most 4, and at most numba's
# NUMBA_NUM_THREADS (default: the cores), so that NUMBA_NUM_THREADS=1 runs the kernel on
# the calling thread alone.
THREADS = max(1, min(4, len(os.sched_getaffinity(0)), int(numba.config.NUMBA_NUM_THREADS)))  # type: ignore[attr-defined]
# Households are split into ranges of about this many persons (inputs below two ranges
# run on the calling thread). Several ranges per thread balance the threads when another
# process takes a core for a while: the others take more ranges.
CHUNK_PERSONS = 200_000
MAX_CHUNKS = 64


@dataclass(frozen=True)
class Coded:
    """A categorical column as raw integers plus a lookup table to the engine's codes."""

    raw: NDArray[np.integer]
    lookup: SmallArray


def coded(series: pl.Series, values: tuple[str, ...], what: str) -> Coded:
    """Like ``columns._codes`` but leaves the gather to the kernel (0 = null)."""
    if isinstance(series.dtype, pl.Enum):
        categories = series.dtype.categories.to_list()
        unknown = [c for c in categories if c not in values]
        if unknown:
            raise ColumnError(f"{what}: unknown value {unknown[0]!r}")
        lookup = np.array([values.index(c) + 1 for c in categories] + [0], np.int8)
        physical = series.to_physical()
        if physical.null_count():
            physical = physical.fill_null(len(categories))
        return Coded(physical.to_numpy(), lookup)
    return Coded(_codes(series, values, what), np.arange(len(values) + 1, dtype=np.int8))


def small_ints(series: pl.Series, null: int) -> SmallArray:
    """Int8 values with nulls as ``null`` (same wrap-around as ``columns._ints``)."""
    if series.dtype == pl.Int8:
        if series.null_count():
            series = series.fill_null(null)
        return series.to_numpy()
    return series.fill_null(null).cast(pl.Int64).to_numpy().astype(np.int8)


def flags(frame: pl.DataFrame, name: str) -> NDArray[np.bool_]:
    if name not in frame.columns:
        return np.zeros(frame.height, np.bool_)
    series = frame[name]
    if series.null_count():
        series = series.fill_null(False)
    return series.to_numpy().astype(np.bool_, copy=False)


def flag_bits(frame: pl.DataFrame, name: str) -> tuple[NDArray[np.uint8], int]:
    """(bitmap, bit offset) of a flag column, nulls as False: a Boolean column's Arrow
    value bitmap as it is (no copy), anything else through ``flags``, packed."""
    series = frame[name] if name in frame.columns else None
    if series is None or series.dtype != pl.Boolean:
        return np.packbits(flags(frame, name), bitorder="little"), 0
    if series.null_count():
        series = series.fill_null(False)
    array = series.to_arrow()
    buffer = array.buffers()[1]
    if buffer is None:
        return np.zeros((len(array) + 7) // 8, np.uint8), 0
    return np.frombuffer(buffer, np.uint8), int(array.offset)


def parameter_table(
    resolver: Resolver, n_households: int
) -> tuple[IntArray, NDArray[np.int32], IntArray]:
    """(table of distinct parameter rows, row per household or [0] when all equal, the
    elderly-allowance bracket ages, youngest first)."""
    keys = resolver.params["elderly_allowance.amount"].keys or ()
    brackets = sorted(keys, key=int)
    values: list[Int] = [resolver.get(name, key) for name, key in FIXED_PARAMETERS]
    values += [resolver.get("elderly_allowance.amount", key) for key in brackets]
    ages = np.array([int(key) for key in brackets], np.int64)
    if all(isinstance(v, int) for v in values):
        return np.array([values], np.int64), np.zeros(1, np.int32), ages
    matrix = np.empty((n_households, len(values)), np.int64)
    for k, value in enumerate(values):
        matrix[:, k] = value
    table, inverse = np.unique(matrix, axis=0, return_inverse=True)
    return table.astype(np.int64), inverse.reshape(-1).astype(np.int32), ages


@numba.njit(cache=True, nogil=True)
def _distinct(physical):  # type: ignore[no-untyped-def]
    """(dense index per physical code, first household of each distinct code)."""
    n = len(physical)
    size = 0
    for h in range(n):
        size = max(size, np.int64(physical[h]) + 1)
    dense = np.full(size, -1, np.int64)
    first = np.empty(n, np.int64)
    k = 0
    for h in range(n):
        c = physical[h]
        if dense[c] < 0:
            dense[c] = k
            first[k] = h
            k += 1
    return dense, first[:k]


@numba.njit(cache=True, nogil=True)
def _spread(inverse, dense, physical):  # type: ignore[no-untyped-def]
    group = np.empty(len(physical), np.int32)
    for h in range(len(physical)):
        group[h] = inverse[dense[physical[h]]]
    return group


def resolved_table(
    params: ParameterSet, on: dt.date, area_codes: pl.Series
) -> tuple[IntArray, NDArray[np.int32], IntArray]:
    """``parameter_table`` for the households' area codes. Categorical codes are resolved
    once per distinct code (in order of first appearance, so an error names the same
    area) and spread to the households by their physical code."""
    if isinstance(area_codes.dtype, pl.Categorical | pl.Enum) and len(area_codes) > 1:
        physical = area_codes.to_physical().to_numpy()
        dense, first = _distinct(physical)
        distinct = area_codes.gather(pl.Series(first))
        table, inverse, ages = parameter_table(Resolver(params, on, distinct), len(distinct))
        if len(table) == 1:
            return table, np.zeros(1, np.int32), ages
        return table, _spread(inverse, dense, physical), ages
    return parameter_table(Resolver(params, on, area_codes), len(area_codes))


def age_amounts(table: IntArray, bracket_ages: IntArray) -> IntArray:
    """Per parameter row and age + 1 (ages -1 to MAX_AGE): the elderly allowance, by the
    module's formula applied to every age."""
    ages = np.arange(-1, MAX_AGE + 1, dtype=np.int64)
    first = len(FIXED_PARAMETERS)
    elderly = np.empty((len(table), len(ages)), np.int64)
    for row in range(len(table)):
        fen = [int(v) for v in table[row, first : first + len(bracket_ages)]]
        elderly[row] = elderly_allowance.amount_rule(ages, [int(a) for a in bracket_ages], fen)
    return elderly


@numba.njit(cache=True, nogil=True)
def _group(hh, n_h):  # type: ignore[no-untyped-def]
    """(household index of each position, order, persons already grouped in household
    order?): ``order`` is a stable counting sort of the persons by household (position k
    is person ``order[k]``), empty when they are grouped already."""
    m = len(hh)
    starts = np.zeros(n_h + 1, np.int64)
    grouped = True
    for i in range(m):
        starts[hh[i] + 1] += 1
        if i > 0 and hh[i] < hh[i - 1]:
            grouped = False
    if grouped:
        return hh, np.empty(0, np.int64), True
    for h in range(n_h):
        starts[h + 1] += starts[h]
    order = np.empty(m, np.int64)
    key = np.empty(m, np.int64)
    for i in range(m):
        position = starts[hh[i]]
        order[position] = i
        key[position] = hh[i]
        starts[hh[i]] += 1
    return key, order, False


@dataclass(frozen=True)
class KernelRows:
    """The kernel's row buffers and where each household range wrote (see ``_kernel``)."""

    households: NDArray[np.integer]
    persons: NDArray[np.integer]
    amounts: IntArray
    bounds: IntArray  # first household of each range, then the number of households
    first_persons: IntArray  # first position of each range's members, then the persons
    ends: IntArray  # [range, segment]: where the range stopped writing the segment

    def begins(self) -> IntArray:
        """[range, segment]: where the range started writing the segment."""
        n_h, m = int(self.bounds[-1]), int(self.first_persons[-1])
        begins = np.empty_like(self.ends)
        begins[:, 0] = self.bounds[:-1]
        segments = np.arange(N_SEGMENTS - 1, dtype=np.int64)
        begins[:, 1:] = n_h + segments * m + self.first_persons[:-1, None]
        return begins

    def counts(self) -> IntArray:
        """Rows per segment."""
        return (self.ends - self.begins()).sum(axis=0).astype(np.int64)


def _kernel(
    n_chunks: int,
    key: NDArray[np.integer],
    order: IntArray,
    grouped: bool,
    hid: NDArray[np.integer],
    pid: NDArray[np.integer],
    *columns: object,
) -> KernelRows | None:
    """Every programme over all households, in ``n_chunks`` household ranges run on
    Python threads (the compiled ``kernel.chunk`` releases the GIL; plain threads rather than
    numba's parallel layer, so concurrent calls from web or Dask threads are safe). The
    members of household h are the positions whose ``key`` is ``hid[h]`` (see
    ``kernel.chunk``); None when the positions are not grouped so.

    Rows (``hid`` of the household, ``pid`` of the person, amount) go to buffers laid out
    by segment: household dibao at [h], segment k >= 1 at n_h + (k - 1) x m + position of
    the person; only the pages written are ever touched."""
    n_h, m = len(hid), len(key)
    out_h, out_p, out_a = buffers.take(n_h + (N_SEGMENTS - 1) * m, hid, pid, ROW_AMOUNT)
    (state,) = buffers.take(m, STATE)
    bounds = np.array([n_h * c // n_chunks for c in range(n_chunks + 1)], np.int64)
    first_persons = np.zeros(n_chunks + 1, np.int64)
    first_persons[-1] = m
    if n_chunks > 1 and n_h:
        inner = np.searchsorted(key, hid[np.minimum(bounds[1:-1], n_h - 1)])
        first_persons[1:-1] = np.maximum.accumulate(inner)  # positions of unsorted keys
    ends = np.zeros((n_chunks, N_SEGMENTS), np.int64)

    def run(c: int) -> bool:
        return bool(
            KERNEL.chunk(
                bounds[c],
                bounds[c + 1],
                first_persons[c],
                first_persons[c + 1],
                out_h,
                out_p,
                out_a,
                ends[c],
                key,
                order,
                grouped,
                hid,
                pid,
                *columns,
                state,
            )
        )

    done = [run(0)] if n_chunks == 1 else list(_pool().map(run, range(n_chunks)))
    if not all(done):
        return None
    return KernelRows(out_h, out_p, out_a, bounds, first_persons, ends)


@functools.cache
def _pool() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=THREADS, thread_name_prefix="policy-kernel")


T = TypeVar("T")


def _beside(function: Callable[..., T], *args: object) -> Future[T]:
    """``function(*args)`` on a kernel thread while the caller goes on; on the calling
    thread when the kernel has one thread."""
    if THREADS > 1:
        return _pool().submit(function, *args)
    done: Future[T] = Future()
    try:
        done.set_result(function(*args))
    except Exception as error:  # raised by result(), as from a thread
        done.set_exception(error)
    return done


@numba.njit(cache=True, nogil=True)
def _compact(out_a, out_p, begins, ends, hh, grouped):  # type: ignore[no-untyped-def]
    """Rows of every segment, back to back, from buffers of indexes: household, person
    (-1 for household dibao), amount; ``begins[c, k]``/``ends[c, k]``: range c's rows of
    segment k. Within a segment, persons in input order."""
    counts = (ends - begins).sum(axis=0)
    total = counts.sum()
    rh = np.empty(total, np.int64)
    rp = np.empty(total, np.int64)
    ra = np.empty(total, np.int64)
    r = 0
    for c in range(len(ends)):
        for x in range(begins[c, 0], ends[c, 0]):
            rh[r] = out_p[x]  # a household's dibao row: the household's index again
            rp[r] = -1
            ra[r] = out_a[x]
            r += 1
    for k in range(1, N_SEGMENTS):
        first = r
        for c in range(len(ends)):
            for x in range(begins[c, k], ends[c, k]):
                rp[r] = out_p[x]
                ra[r] = out_a[x]
                r += 1
        if not grouped:
            sort = np.argsort(rp[first:r], kind="mergesort")
            rp[first:r] = rp[first:r][sort]
            ra[first:r] = ra[first:r][sort]
        for x in range(first, r):
            rh[x] = hh[rp[x]]
    return rh, rp, ra, counts


def kernel_inputs(
    persons: pl.DataFrame, households: pl.DataFrame, on: dt.date, params: ParameterSet
) -> tuple[object, ...]:
    """The columns the kernel reads after the ids (physical values, mostly without
    copies) and the resolved parameters, in ``kernel.chunk``'s order."""
    _require(persons, ("id", "household_id", "birth_date"), "persons")
    _require(households, ("id", "area_code", "hukou"), "households")
    if households["area_code"].null_count() or households["hukou"].null_count():
        raise ColumnError("households: area_code and hukou may not be null")
    # The parameters (~2 ms for 1,000,000 households) on a kernel thread, beside the
    # conversions of the columns on this one.
    resolving = _beside(resolved_table, params, on, households["area_code"])
    birth = persons["birth_date"]
    if birth.null_count():
        raise ColumnError("persons: birth_date may not be null")
    days = birth.cast(pl.Date).to_physical().to_numpy()
    age_start, ages = age_table(on)

    def optional(name: str) -> pl.Series:
        if name in persons.columns:
            return persons[name]
        return pl.Series(name, [None] * persons.height, PERSON_FIELDS[name])

    def column(name: str) -> pl.Series:
        if name in households.columns:
            return households[name]
        return pl.Series(name, [None] * households.height, HOUSEHOLD_FIELDS[name])

    disability = coded(
        optional("disability_category"), DISABILITY_CATEGORIES, "persons.disability_category"
    )
    care = coded(optional("self_care"), SELF_CARE_LEVELS, "persons.self_care")
    care_lookup = np.clip(care.lookup - 1, 0, None).astype(np.int8)
    orphan = coded(optional("orphan_status"), ORPHAN_STATUSES, "persons.orphan_status")
    income, income_scale = money(optional("monthly_income"))
    hukou = coded(households["hukou"], HUKOU_TYPES, "households.hukou")
    assets, assets_scale = money(column("financial_assets"))
    table, group, bracket_ages = resolving.result()
    return (
        days,
        age_start,
        ages,
        income,
        income_scale,
        disability.raw,
        disability.lookup,
        small_ints(optional("disability_grade"), 0),
        small_ints(optional("ability_grade"), -1),
        care.raw,
        care_lookup,
        orphan.raw,
        orphan.lookup,
        *flag_bits(persons, "serious_illness"),
        *flag_bits(persons, "no_able_supporter"),
        *flag_bits(persons, "in_institution"),
        *flag_bits(persons, "full_time_student"),
        hukou.raw,
        hukou.lookup == URBAN,
        assets,
        assets_scale,
        counts_of(column("vehicles"), 0),
        counts_of(column("houses"), 0),
        rows_for_kernel(table),
        group,
        age_amounts(table, bracket_ages),
    )


def _chunks(persons: int) -> int:
    """Household ranges for ``persons`` persons; one on one thread (more would only split
    the result columns into more chunks)."""
    return max(1, min(MAX_CHUNKS, persons // CHUNK_PERSONS)) if THREADS > 1 else 1


def rows_for_kernel(table: IntArray) -> IntArray | tuple[tuple[int, ...]]:
    """The parameter table as the kernel reads it: a single row (the usual case, one set
    of values for every household) as a tuple, which the compiled loop keeps in registers
    (a row of an array is loaded again for every person: the compiler cannot rule out
    that the row buffers written in the loop overlap it); several rows as the array."""
    if len(table) == 1:
        return (tuple(int(v) for v in table[0]),)
    return table


def money(series: pl.Series) -> tuple[IntArray, int]:
    """(values, scale to fen): integer yuan as they are (x 100 in the kernel), anything
    else through ``columns._fen``."""
    if series.dtype.is_integer() and not series.null_count():
        return series.cast(pl.Int64).to_numpy(), 100
    return _fen(series), 1


def counts_of(series: pl.Series, null: int) -> IntArray:
    """Int64 values with nulls as ``null`` (as ``columns._ints``)."""
    if series.dtype == pl.Int64 and not series.null_count():
        return series.to_numpy()
    return series.fill_null(null).cast(pl.Int64).to_numpy()


def _segments(
    buffer: NDArray[np.integer], rows: KernelRows, first: int
) -> list[NDArray[np.integer]]:
    """The rows of segments ``first``.. of every range, in result order (segment-major,
    ranges in household order), as views of the kernel's buffer (no copy)."""
    begins = rows.begins()
    parts = []
    for k in range(first, N_SEGMENTS):
        for c in range(len(rows.ends)):
            if rows.ends[c, k] > begins[c, k]:
                parts.append(buffer[begins[c, k] : rows.ends[c, k]])
    return parts


def _column(name: str, parts: list[NDArray[np.integer]], dtype: pl.DataType) -> pl.Series:
    """One result column over the views ``parts``: a Series of one chunk per view,
    without copying them (through one Arrow chunked array: 0.4 ms for the ~100 views of
    1 M households, against 0.6 ms for a Polars Series per view and a concat)."""
    if not parts:
        return pl.Series(name, [], dtype=dtype)
    chunked = pa.chunked_array([pa.array(part) for part in parts])
    series = cast(pl.Series, pl.from_arrow(chunked))  # a chunked array gives a Series
    return (series if series.dtype == dtype else series.cast(dtype)).alias(name)


def _plain_ints(series: pl.Series) -> NDArray[np.integer] | None:
    """The values of an integer id column without nulls, else None."""
    if not series.dtype.is_integer() or series.null_count():
        return None
    return series.to_numpy()


def _program_column(counts: IntArray, names: tuple[str, ...]) -> pl.Series:
    """Programme names, repeated per segment (segments are programme-major)."""
    per_program = np.bincount(SEGMENT_PROGRAM, weights=counts, minlength=len(names))
    parts = [_repeated(name, int(c)) for name, c in zip(names, per_program, strict=True)]
    return pl.concat(parts, rechunk=False)


_REPEATED: dict[str, pl.Series] = {}


def _repeated(name: str, count: int) -> pl.Series:
    """``name`` ``count`` times: a slice (no copy) of a column kept per name, grown to
    twice the largest count asked so far (a fresh column of 1.4 M Strings writes 22 MB of
    views, 3-4 ms for 1,000,000 households; Polars columns are immutable, so every result
    can share the kept one)."""
    kept = _REPEATED.get(name)
    if kept is None or len(kept) < count:
        kept = pl.repeat(name, 2 * count, dtype=pl.String, eager=True).alias("program")
        _REPEATED[name] = kept
    return kept.slice(0, count)


def _person_column(ids: pl.Series, n_household_rows: int) -> pl.Series:
    nulls = pl.Series("person_id", [], dtype=ids.dtype).extend_constant(None, n_household_rows)
    return pl.concat([nulls, ids.alias("person_id")], rechunk=False)


def evaluate_frame(
    persons: pl.DataFrame,
    households: pl.DataFrame,
    on: dt.date,
    params: ParameterSet,
    names: tuple[str, ...],
) -> pl.DataFrame:
    """The result frame of ``engine.evaluate``, equal to ``engine.rows_frame`` over
    ``engine.collect_rows`` of the readable modules, built once from the row arrays."""
    hid = _plain_ints(households["id"])
    pid_household = _plain_ints(persons["household_id"])
    pid = _plain_ints(persons["id"])
    inputs = kernel_inputs(persons, households, on, params)
    n_chunks = _chunks(persons.height)
    rows = None
    if (
        hid is not None
        and pid_household is not None
        and pid is not None
        and households["id"].dtype == persons["household_id"].dtype
    ):
        # Persons grouped by household in the households' order, ids strictly
        # increasing (the usual case): the kernel checks it as it goes.
        rows = _kernel(n_chunks, pid_household, NO_ORDER, True, hid, pid, *inputs)
    if rows is not None:
        counts = rows.counts()
        k = int(counts[0])
        id_type, person_type = households["id"].dtype, persons["id"].dtype
        household_ids = _column("household_id", _segments(rows.households, rows, 0), id_type)
        person_ids = _column("person_id", _segments(rows.persons, rows, 1), person_type)
        amounts = _column("monthly_amount", _segments(rows.amounts, rows, 0), pl.Int64())
    else:
        hh = household_index(persons, households)
        key, order, grouped = _group(hh, households.height)
        indexes = np.arange(households.height, dtype=np.int64)
        person_indexes = np.arange(persons.height, dtype=np.int64)
        rows = _kernel(n_chunks, key, order, grouped, indexes, person_indexes, *inputs)
        if rows is None:
            raise RuntimeError("the kernel refused persons grouped by household index")
        rh, rp, ra, counts = _compact(
            rows.amounts, rows.persons, rows.begins(), rows.ends, hh, grouped
        )
        k = int(counts[0])
        household_ids = households["id"].gather(pl.Series(rh)).alias("household_id")
        person_ids = persons["id"].gather(pl.Series(rp[k:]))
        amounts = pl.Series("monthly_amount", ra, dtype=pl.Int64)
    return pl.DataFrame(
        {
            "household_id": household_ids,
            "person_id": _person_column(person_ids, k),
            "program": _program_column(counts, names),
            "monthly_amount": amounts,
        }
    )
