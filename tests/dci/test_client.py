"""The stand-alone client (bench/dci_client.py) against a live server: every search,
subscription and status query it runs, and every callback, validates against the spec."""

from __future__ import annotations

import importlib.util
import socket
import sys
from pathlib import Path
from typing import Any

import pytest

from safetynet.core.actor import Actor
from safetynet.dci import services
from tests.conftest import TOWN_A

CLIENT = Path(__file__).resolve().parents[2] / "bench" / "dci_client.py"


def load_client() -> Any:
    spec = importlib.util.spec_from_file_location("dci_client", CLIENT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["dci_client"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.django_db(transaction=True)
def test_the_client_passes_every_check(live_server, sysadmin, people) -> None:
    port = free_port()
    partner = services.register_partner(
        Actor.of(sysadmin), "demo.partner", {"name": "演示", "purpose": "互通演示",
                                   "callback_url": f"http://127.0.0.1:{port}/dci"},
        ["identity", "id_number", "household", "assistance"], [TOWN_A])
    token = services.issue_token(Actor.of(sysadmin), partner)[1]
    checks = load_client().run(f"{live_server.url}/dci", token, port, partner.code, TOWN_A)
    failed = [(c.name, c.detail) for c in checks if not c.ok]
    assert failed == []
    names = " ".join(c.name for c in checks)
    for operation in ("sync search (idtype-value)", "on-search callback", "subscribe",
                      "on-unsubscribe callback", "sync txn status", "txn on-status callback",
                      "refusal without token"):
        assert operation in names
