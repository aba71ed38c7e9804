"""Tiny typed helpers that read settings from the environment and fail loudly."""

from __future__ import annotations

import os


class ConfigurationError(RuntimeError):
    """A required setting is missing or malformed."""


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise ConfigurationError(f"environment variable {name} is required")
    return value


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ConfigurationError(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigurationError(f"{name} must be an integer, got {raw!r}") from exc


WEAK_SECRET_MARKERS = ("insecure", "changeme", "secret", "password")


def check_secret_key(key: str) -> str:
    """Refuse a secret key that is short, low-variety or an obvious placeholder."""
    if len(key) < 50 or len(set(key)) < 5 or any(m in key.lower() for m in WEAK_SECRET_MARKERS):
        raise ConfigurationError(
            "SAFETYNET_SECRET_KEY is missing or weak: use at least 50 random characters "
            "(python -c 'import secrets; print(secrets.token_urlsafe(64))')"
        )
    return key
