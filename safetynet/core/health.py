"""Health and readiness probes: no login, no personal data, JSON, 200 or 503."""

from __future__ import annotations

from typing import Any

from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from safetynet.core.recovery import WORKER_STALE_SECONDS
from safetynet.core.worker import newest_heartbeat_age


def _pending_migrations() -> int:
    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def checks() -> dict[str, Any]:
    """The database, the migrations and the worker's heartbeat, each ok or not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        pending = _pending_migrations()
        age = newest_heartbeat_age()
    except DatabaseError:
        connection.close()  # a broken connection is not reused by the next probe
        return {"database": False, "migrations": False, "worker": False,
                "worker_heartbeat_age_s": None, "pending_migrations": None}
    return {"database": True, "migrations": pending == 0, "pending_migrations": pending,
            "worker": age is not None and age <= WORKER_STALE_SECONDS,
            "worker_heartbeat_age_s": None if age is None else round(age, 1)}


def _answer(result: dict[str, Any], needed: tuple[str, ...]) -> JsonResponse:
    healthy = all(result[name] for name in needed)
    return JsonResponse({"status": "ok" if healthy else "fail", **result},
                        status=200 if healthy else 503)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Everything a county needs running: database, migrations, worker."""
    return _answer(checks(), ("database", "migrations", "worker"))


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """May this web process take requests: database reachable and migrations applied."""
    result = checks()
    return _answer({k: result[k] for k in ("database", "migrations", "pending_migrations")},
                   ("database", "migrations"))
