"""Run every bench/bench_*.py script in turn with its default arguments, then the
server-level runs: the month-end load (200 sessions), the 30-minute soak and the fault
tests (these need root: a throwaway PostgreSQL cluster run as the postgres user).

    python bench/run_all.py            # what `make bench` does (about an hour more with
                                       # the server-level runs)
    python bench/run_all.py --quick    # the bench_*.py scripts only

Each script's output is printed as it comes; the exit status is non-zero when any script
failed (or missed its target), after all of them have run.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
# The server-level runs and their arguments (as `make bench-load`, `bench-soak`, `bench-faults`).
SERVER_RUNS: list[tuple[str, list[str]]] = [
    ("load.py", ["--users", "200", "--ramp", "60", "--seconds", "120"]),
    ("load.py", ["--users", "50", "--ramp", "25", "--seconds", "60", "--think", "0.5",
                 "--soak-seconds", "1800", "--max-requests", "0", "--applications", "150"]),
    ("faults.py", []),
]


def scripts() -> list[Path]:
    return sorted(BENCH_DIR.glob("bench_*.py"))


def run(script: Path, args: list[str] | None = None) -> int:
    name = " ".join([script.name, *(args or [])])
    print(f"\n=== {name} ===", flush=True)
    started = time.perf_counter()
    status = subprocess.call([sys.executable, str(script), *(args or [])],
                             cwd=BENCH_DIR.parent)
    print(f"=== {name}: exit {status}, {time.perf_counter() - started:.0f} s ===", flush=True)
    return status


def main() -> int:
    failed = [script.name for script in scripts() if run(script) != 0]
    if "--quick" not in sys.argv[1:]:
        for name, args in SERVER_RUNS:
            if name == "faults.py" and os.geteuid() != 0:
                print("\n=== faults.py: skipped (needs root) ===", flush=True)
                failed.append(name)
                continue
            if run(BENCH_DIR / name, args) != 0:
                failed.append(" ".join([name, *args]))
    if failed:
        print(f"\nfailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
