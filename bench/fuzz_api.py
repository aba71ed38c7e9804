"""The full fuzzing run of the API with schemathesis, per role.

    python bench/fuzz_api.py [--examples 30] [--seed 2022] [--scale 0.002] [--roles clerk,...]

Creates a throw-away test database (PostgreSQL when DATABASE_URL says so, else SQLite),
builds the demo county at ``--scale`` with its logins, and for a township clerk, the
county approver (with a confirmed second factor) and the read-only county leader fuzzes
every operation of /api/v1/openapi.json through the WSGI application with a bearer token:
``--examples`` valid and ``--examples`` invalid cases per operation (about 4,400 cases per
role at the default), every schemathesis check on every response. Each case runs in a
rolled-back savepoint. Prints cases, unique failures, server errors and schema violations
per role, and the failures found. Target: 0 server errors and 0 schema violations.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import traceback
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("SAFETYNET_ENV", "test")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safetynet.settings")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=30,
                        help="valid and invalid cases per operation, each")
    parser.add_argument("--seed", type=int, default=2022)
    parser.add_argument("--scale", type=float, default=0.002)
    parser.add_argument("--roles", default="clerk,approver,leader")
    parser.add_argument("--tracebacks", action="store_true",
                        help="print the traceback of each server error")
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    import django

    django.setup()
    from django.core.signals import got_request_exception
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    from tests.api.fuzzing import build_county, fuzz, load_schema

    crashes: list[str] = []

    def on_crash(sender: Any, request: Any = None, **kwargs: Any) -> None:
        crashes.append(f"{request.method} {request.get_full_path()}\n{traceback.format_exc()}")

    got_request_exception.connect(on_crash)
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    if connection.vendor != "sqlite":  # never the test database of a concurrent test run
        connection.settings_dict.setdefault("TEST", {})["NAME"] = f"test_fuzz_{os.getpid()}"
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    failed = False
    try:
        started = time.perf_counter()
        tokens = build_county(args.scale, args.seed)
        print(f"{connection.vendor}: demo county at scale {args.scale} built in "
              f"{time.perf_counter() - started:.0f} s", flush=True)
        schema = load_schema()
        for role in args.roles.split(","):
            started = time.perf_counter()
            stats = fuzz(role, tokens[role], args.examples, args.seed, schema)
            print(stats.report(limit=200), flush=True)
            print(f"    ({time.perf_counter() - started:.0f} s)", flush=True)
            failed = failed or bool(stats.server_errors or stats.schema_violations)
        if args.tracebacks:
            for crash in dict.fromkeys(crashes):
                print(crash)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
