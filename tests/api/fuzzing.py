"""Fuzzing the API with schemathesis, shared by the bounded test (tests/api/test_fuzz.py)
and the full run (bench/fuzz_api.py).

A small demo county is built in the current database; each role fuzzes every operation of
``/api/v1/openapi.json`` through the WSGI application with its own bearer token, in
positive (valid) and negative (invalid) mode, with a fixed seed. Every response goes
through all of schemathesis's checks; the failures are counted per kind.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.management import call_command
from django.db import transaction

from safetynet.accounts.models import ApiToken, User

ROLES = ("clerk", "approver", "leader")
# The check that a response is not a 5xx, and the check that its body fits its schema.
SERVER_ERROR, SCHEMA_VIOLATION = "not_a_server_error", "response_schema_conformance"


@dataclass
class Stats:
    role: str
    cases: int = 0
    # unique failures: (operation, check) -> first message
    failures: dict[tuple[str, str], str] = field(default_factory=dict)
    server_errors: int = 0
    schema_violations: int = 0

    def record(self, operation: str, check: str, message: str) -> None:
        if check == SERVER_ERROR:
            self.server_errors += 1
        elif check == SCHEMA_VIOLATION:
            self.schema_violations += 1
        self.failures.setdefault((operation, check), message)

    def line(self) -> str:
        return (f"{self.role:<9} cases {self.cases:>6,}  failures {len(self.failures):>4}  "
                f"server errors {self.server_errors:>4}  "
                f"schema violations {self.schema_violations:>4}")

    def report(self, limit: int = 40) -> str:
        lines = [self.line()]
        for (operation, check), message in sorted(self.failures.items())[:limit]:
            first = message.strip().splitlines()[0] if message.strip() else ""
            lines.append(f"    {check:<32} {operation}: {first[:160]}")
        return "\n".join(lines)


def build_county(scale: float = 0.002, seed: int = 7) -> dict[str, str]:
    """The demo county at ``scale`` with its demo logins; a bearer token per fuzzed role
    (the approver with a confirmed second factor). Returns role -> token."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    with contextlib.redirect_stdout(None):
        call_command("demo", "--scale", str(scale), "--seed", str(seed), verbosity=0,
                     stdout=_Discard())
    tokens = {}
    for role in ROLES:
        user = User.objects.get(username=role)
        if user.otp_required:
            TOTPDevice.objects.get_or_create(user=user, name="fuzz", confirmed=True)
        tokens[role] = ApiToken.issue(user, "fuzz")[1]
    return tokens


class _Discard:
    def write(self, _text: str) -> int:
        return 0

    def flush(self) -> None:
        return None


def load_schema() -> Any:
    import schemathesis
    from django.core.wsgi import get_wsgi_application

    with _connection_kept():  # loading the document is a request too
        return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@contextlib.contextmanager
def _rolled_back() -> Iterator[None]:
    """Each case in a savepoint that is rolled back: a case cannot spoil the next one's data
    (or, on PostgreSQL, leave the test's transaction aborted)."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


@contextlib.contextmanager
def _connection_kept() -> Iterator[None]:
    """As Django's test client does: the end of a request must not close the database
    connection that holds the test's transaction."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def fuzz(role: str, token: str, examples: int, seed: int = 2022, schema: Any = None,
         rollback: bool = True) -> Stats:
    """``examples`` positive and ``examples`` negative cases per operation for ``role``."""
    from schemathesis import GenerationMode

    schema = schema if schema is not None else load_schema()
    stats = Stats(role)
    headers = {"Authorization": f"Bearer {token}", "Accept-Language": "en"}
    guard = _rolled_back if rollback else contextlib.nullcontext
    # 4xx answers are the point of fuzzing, not news: keep the request log quiet.
    logging.getLogger("django.request").setLevel(logging.ERROR)
    with _connection_kept():
        for result in schema.get_all_operations():
            operation = result.ok()
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                try:
                    _fuzz_operation(stats, operation, mode, examples, seed, headers, guard)
                except Exception as exc:  # a generation error: counted, never hidden
                    stats.record(operation.label, "generation", repr(exc))
    return stats


def _fuzz_operation(stats: Stats, operation: Any, mode: Any, examples: int, seed: int,
                    headers: dict[str, str], guard: Any) -> None:
    from hypothesis import HealthCheck, Phase, given
    from hypothesis import seed as hypothesis_seed
    from hypothesis import settings as hypothesis_settings
    from schemathesis.core.failures import FailureGroup

    @hypothesis_seed(seed)
    @hypothesis_settings(max_examples=examples, database=None, deadline=None,
                         phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case: Any) -> None:
        stats.cases += 1
        with guard():
            response = case.call(headers=headers)
            try:
                case.validate_response(response, headers=headers)
            except FailureGroup as group:
                for failure in group.exceptions:
                    stats.record(operation.label, _check_name(failure),
                                 f"{response.status_code} {failure.title}: {failure.message}")

    run()


def _check_name(failure: Any) -> str:
    from schemathesis.core.failures import ServerError

    if isinstance(failure, ServerError):
        return SERVER_ERROR
    name = type(failure).__name__
    return {"JsonSchemaError": SCHEMA_VIOLATION, "MalformedJson": SCHEMA_VIOLATION}.get(
        name, name)

