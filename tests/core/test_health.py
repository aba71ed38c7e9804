"""/healthz and /readyz: no login, JSON, 503 without a fresh worker heartbeat."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from safetynet.core.models import WorkerHeartbeat
from safetynet.core.worker import beat


def test_healthz_is_503_without_a_worker_heartbeat(client: Any, db: Any) -> None:
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] is True
    assert response.json()["migrations"] is True
    assert response.json()["worker"] is False


def test_healthz_is_200_with_a_fresh_heartbeat(client: Any, db: Any) -> None:
    beat("w1", timezone.now())
    response = client.get("/healthz")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "ok"
    assert response.json()["worker_heartbeat_age_s"] < 5


def test_healthz_is_503_with_a_stale_heartbeat(client: Any, db: Any) -> None:
    old = timezone.now() - timedelta(minutes=5)
    WorkerHeartbeat.objects.create(worker_id="w1", hostname="h", pid=1, started_at=old,
                                   beat_at=old)
    assert client.get("/healthz").status_code == 503


def test_readyz_needs_no_worker(client: Any, db: Any) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert "worker" not in response.json()


def test_request_id_is_echoed_or_made(client: Any, db: Any) -> None:
    assert client.get("/readyz", HTTP_X_REQUEST_ID="abc-123")["X-Request-ID"] == "abc-123"
    made = client.get("/readyz", HTTP_X_REQUEST_ID="bad id\n")["X-Request-ID"]
    assert made != "bad id\n" and len(made) == 32
