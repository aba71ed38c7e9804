"""The production server (gunicorn, production settings) serves a login and a household
page, and /healthz, against the test database."""

from __future__ import annotations

import base64
import json
import os
import re
import secrets
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

from safetynet.core import crypto
from tests.conftest import make_household

PROJECT = Path(settings.PROJECT_DIR)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _database_url(tmp_path: Path) -> str:
    """The test database as the server sees it: PostgreSQL by name, SQLite copied to a file."""
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        user = db["USER"] or "postgres"
        return f"postgresql://{user}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    path = tmp_path / "server.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(path) as target:
        connection.connection.backup(target)  # type: ignore[union-attr]
    return f"sqlite:///{path}"


def _production_env(tmp_path: Path, port: int) -> dict[str, str]:
    ring = crypto.keyring()
    return {
        **os.environ, "SAFETYNET_ENV": "production", "DATABASE_URL": _database_url(tmp_path),
        "SAFETYNET_SECRET_KEY": secrets.token_urlsafe(64), "SAFETYNET_SSL_REDIRECT": "0",
        "SAFETYNET_ALLOWED_HOSTS": "127.0.0.1", "SAFETYNET_STATIC_MANIFEST": "0",
        "SAFETYNET_VAR_DIR": str(tmp_path), "SAFETYNET_BIND": f"127.0.0.1:{port}",
        "SAFETYNET_WEB_WORKERS": "1", "SAFETYNET_LOG_JSON": "1",
        "SAFETYNET_DATA_KEYS": ",".join(f"{kid}:{base64.b64encode(key).decode()}"
                                        for kid, key in ring.data_keys),
        "SAFETYNET_INDEX_KEY": base64.b64encode(ring.index_key).decode(),
        "PYTHONPATH": str(PROJECT)}


@pytest.fixture
def server(transactional_db: Any, tmp_path: Path, clerk: Any) -> Iterator[str]:
    make_household(clerk)
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "python:safetynet.core.gunicorn_conf",
         "safetynet.wsgi"], env=_production_env(tmp_path, port), cwd=PROJECT,
        stdout=subprocess.DEVNULL, stderr=(tmp_path / "server.log").open("wb"))
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, process, tmp_path)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def _wait_until_up(base: str, process: subprocess.Popen[bytes], tmp_path: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError((tmp_path / "server.log").read_text())
        try:
            urllib.request.urlopen(base + "/readyz", timeout=10)
            return
        except OSError:  # refused while gunicorn starts, or its first answer is slow
            time.sleep(0.2)
    raise AssertionError("gunicorn did not answer within 30 s")


class Browser:
    """A tiny HTTP client keeping cookies by hand (secure cookies over the test's http)."""

    def __init__(self, base: str) -> None:
        self.base, self.cookies = base, {}  # type: dict[str, str]
        self.opener = urllib.request.build_opener(_NoRedirect())

    def request(self, path: str, form: dict[str, str] | None = None) -> tuple[int, Any, str]:
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        req = urllib.request.Request(self.base + path, data=data, headers={
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            "Referer": self.base + "/login/"})
        try:
            response = self.opener.open(req, timeout=10)
        except urllib.error.HTTPError as exc:
            response = exc
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        return response.status, response.headers, response.read().decode()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def test_login_and_household_page_through_gunicorn(server: str) -> None:
    browser = Browser(server)
    status, _, page = browser.request("/login/")
    assert status == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token, page[:500]
    status, headers, _ = browser.request("/login/", {
        "csrfmiddlewaretoken": token.group(1), "username": "clerk_a",
        "password": "Test-pass-2022"})
    assert status == 302, "login refused"
    assert headers["X-Request-ID"]
    status, _, page = browser.request("/")
    assert status == 200
    household_id = _first_household_id()
    status, _, page = browser.request(f"/registry/households/{household_id}/")
    assert status == 200
    assert "张三" in page or "张*" in page


def test_healthz_through_gunicorn_reports_the_missing_worker(server: str) -> None:
    status, _, body = Browser(server).request("/healthz")
    assert status == 503
    result = json.loads(body)
    assert result["database"] is True and result["migrations"] is True
    assert result["worker"] is False


def _first_household_id() -> int:
    from safetynet.registry.models import Household

    return int(Household.objects.values_list("pk", flat=True).first() or 0)
