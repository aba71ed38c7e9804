"""The compiled kernel receives every parameter the programme modules read."""

from __future__ import annotations

import re
from pathlib import Path

from safetynet.policy import fast, programs

PROGRAMS = Path(programs.__file__).parent
# ``get("name")``, ``get("name", "key")`` and ``params["name"]`` in the modules.
READ = re.compile(r"""(?:get\(|params\[)\s*"([a-z_]+\.[a-z_]+)"(?:\s*,\s*"([a-z_0-9]+)")?""")
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
