"""The compiled kernel receives every parameter the programme modules read."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

from safetynet.policy import fast, programs
from safetynet.policy.columns import household_arrays, household_index, person_arrays
from safetynet.policy.context import Context
from safetynet.policy.jsonio import parse_payload, payload_frames
from safetynet.policy.params import load_parameters
from safetynet.policy.programs import CATEGORY_NAMES, ORDER, orphan_allowance
from safetynet.policy.resolve import Int, Resolver
from tests.policy.policy_helpers import case_payload, load_cases

PROGRAMS = Path(programs.__file__).parent
# ``get("name")``, ``get("name", "key")``, ``params["name"]`` and the formulas'
# declarations ``parameter("name", "key")`` in the modules.
READ = re.compile(
    r"""(?:get\(|params\[|parameter\()\s*"([a-z_]+\.[a-z_]+)"(?:\s*,\s*"([a-z_0-9]+)")?"""
)
# Not in the kernel: temporary assistance is calculated on request; the monitoring
# categories come from the readable modules (engine.household_categories).
NOT_IN_KERNEL = {"temporary.py", "low_income.py", "rigid_expenditure.py"}
BRACKETED = {"elderly_allowance.amount"}  # every key passed (the bracket ages)
LOOPED = {  # keys iterated in the module (grades, self-care levels)
    "disability_nursing.amount": {"1", "2", "3", "4"},
    "tekun.care_amount": {"full", "partial", "none"},
    "tekun.disability_max_grade": {"intellectual", "mental", "physical", "visual"},
}


def _read_by_modules() -> set[tuple[str, str | None]]:
    found: set[tuple[str, str | None]] = set()
    for path in sorted(PROGRAMS.glob("*.py")):
        if path.name in NOT_IN_KERNEL:
            continue
        for name, key in READ.findall(path.read_text(encoding="utf-8")):
            if name in BRACKETED:
                continue
            if name in LOOPED:
                found |= {(name, k) for k in LOOPED[name]}
            else:
                found.add((name, key or None))
    return found


def test_kernel_receives_every_parameter_the_modules_read() -> None:
    given = set(fast.FIXED_PARAMETERS)
    standard = {("dibao.standard", "urban"), ("dibao.standard", "rural")}
    read = {p for p in _read_by_modules() if p[0] != "dibao.standard"} | standard
    missing = sorted(read - given, key=str)
    assert not missing, f"parameters read by policy/programs but not given to the kernel: {missing}"
    assert read, "the scan found no parameter reads"


def test_scan_detects_a_parameter_the_kernel_lacks() -> None:
    """The scan is not vacuous: a read of an unknown parameter shows up as missing."""
    text = 'x = ctx.params.get("home_care.new_threshold")'
    (name, key), = READ.findall(text)
    assert (name, key or None) not in set(fast.FIXED_PARAMETERS)


class _Recording(Resolver):
    """A resolver that notes every (parameter, key) read, for the module reading it."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.module = ""
        self.reads: dict[str, set[tuple[str, str | None]]] = {}

    def get(self, name: str, key: str | None = None) -> Int:
        self.reads.setdefault(self.module, set()).add((name, key))
        return super().get(name, key)


def _reads_while_evaluating() -> dict[str, set[tuple[str, str | None]]]:
    """Run the readable modules over the YAML cases of every programme (each case's date
    and households) and return what each module read."""
    reads: dict[str, set[tuple[str, str | None]]] = {}
    for _, case in load_cases():
        persons, households = payload_frames(parse_payload(case_payload(case), "en"))
        on = dt.date.fromisoformat(str(case["on"]))
        hh = household_index(persons, households)
        resolver = _Recording(load_parameters(), on, households["area_code"])
        ctx = Context(on, person_arrays(persons, hh, on), household_arrays(households), resolver)
        for module in ORDER:
            resolver.module = module.__name__.rsplit(".", 1)[-1]
            module.compute(ctx)
        for module, found in resolver.reads.items():
            reads.setdefault(module, set()).update(found)
    return reads


def _missing(reads: dict[str, set[tuple[str, str | None]]]) -> list[tuple[str, Any]]:
    kernel_modules = {m.__name__.rsplit(".", 1)[-1] for m in ORDER} - set(CATEGORY_NAMES)
    assert kernel_modules <= set(reads), "a kernel programme read no parameter"
    given = set(fast.FIXED_PARAMETERS)
    brackets = set(load_parameters()["elderly_allowance.amount"].keys or ())
    return sorted(
        (module, read)
        for module in kernel_modules
        for read in reads[module]
        if read not in given and not (read[0] == "elderly_allowance.amount" and read[1] in brackets)
    )


def test_kernel_receives_every_parameter_read_at_run_time() -> None:
    """Not a scan of the source: the reads the programmes make while they evaluate the
    cases, through helpers and loops over keys included, are all in the kernel's table
    (the elderly-allowance brackets are passed as every key of the parameter)."""
    missing = _missing(_reads_while_evaluating())
    assert not missing, f"parameters read by programmes but not given to the kernel: {missing}"


def test_a_read_the_kernel_lacks_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    """A programme that starts reading a parameter the kernel does not receive (here
    through a key built at run time, which the source scan cannot see) is reported."""
    original = orphan_allowance.compute

    def compute(ctx: Context) -> None:
        original(ctx)
        ctx.params.get("home_care.ages", "".join(["supported", "_60"]))  # received
        ctx.params.get("temporary.max_months")  # not received

    monkeypatch.setattr(orphan_allowance, "compute", compute)
    assert _missing(_reads_while_evaluating()) == [
        ("orphan_allowance", ("temporary.max_months", None))
    ]
