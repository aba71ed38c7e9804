"""Run every bench/bench_*.py script in turn with its default arguments.

    python bench/run_all.py            # what `make bench` does

Each script's output is printed as it comes; the exit status is non-zero when any script
failed (or missed its target), after all of them have run.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent


def scripts() -> list[Path]:
    return sorted(BENCH_DIR.glob("bench_*.py"))


def run(script: Path) -> int:
    print(f"\n=== {script.name} ===", flush=True)
    started = time.perf_counter()
    status = subprocess.call([sys.executable, str(script)], cwd=BENCH_DIR.parent)
    print(f"=== {script.name}: exit {status}, {time.perf_counter() - started:.0f} s ===",
          flush=True)
    return status


def main() -> int:
    failed = [script.name for script in scripts() if run(script) != 0]
    if failed:
        print(f"\nfailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
