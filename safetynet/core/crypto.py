"""Encryption at rest of ID, card and phone numbers, and keyed blind indexes to find them.

Keys live outside the database: SAFETYNET_DATA_KEYS ("id:base64key,id:base64key", the first
is current, the others still decrypt) and SAFETYNET_INDEX_KEY (base64). Outside production
they are generated once into ``var/keys.json``. Ciphertext is ``v1:<key id>:<base64(nonce ||
AES-256-GCM ciphertext)>``; the blind index is HMAC-SHA-256 of the normalised value.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

PREFIX = "v1"
INDEX_HEX_CHARS = 32


class KeyError_(RuntimeError):
    """Keys are missing or cannot decrypt a value."""


@dataclass(frozen=True)
class Keyring:
    data_keys: tuple[tuple[str, bytes], ...]  # (id, key); the first is current
    index_key: bytes

    @property
    def current(self) -> tuple[str, bytes]:
        return self.data_keys[0]

    def key(self, key_id: str) -> bytes:
        for kid, key in self.data_keys:
            if kid == key_id:
                return key
        raise KeyError_(f"no data key with id {key_id!r} is configured")


def new_key() -> str:
    return base64.b64encode(AESGCM.generate_key(bit_length=256)).decode()


def _parse_keys(raw: str) -> tuple[tuple[str, bytes], ...]:
    pairs = []
    for item in raw.split(","):
        kid, _, b64 = item.strip().partition(":")
        key = base64.b64decode(b64)
        if len(key) != 32 or not kid:
            raise KeyError_("SAFETYNET_DATA_KEYS entries must be 'id:base64 of 32 bytes'")
        pairs.append((kid, key))
    return tuple(pairs)


def key_file() -> Path:
    return Path(settings.VAR_DIR) / "keys.json"


def _from_file(path: Path) -> dict[str, object]:
    if not path.exists():
        path.write_text(json.dumps({"data_keys": [f"k1:{new_key()}"], "index_key": new_key()}))
        path.chmod(0o600)
    return dict(json.loads(path.read_text()))


@lru_cache(maxsize=1)
def keyring() -> Keyring:
    raw_data, raw_index = os.environ.get("SAFETYNET_DATA_KEYS"), os.environ.get(
        "SAFETYNET_INDEX_KEY")
    if not (raw_data and raw_index):
        if settings.PRODUCTION:
            raise KeyError_("SAFETYNET_DATA_KEYS and SAFETYNET_INDEX_KEY are required in "
                            "production (keys are kept outside the database)")
        stored = _from_file(key_file())
        raw_data = ",".join(stored["data_keys"])  # type: ignore[arg-type]
        raw_index = str(stored["index_key"])
    return Keyring(_parse_keys(raw_data), base64.b64decode(raw_index))


def reset_cache() -> None:
    keyring.cache_clear()


def encrypt(plain: str, ring: Keyring | None = None) -> str:
    ring = ring or keyring()
    kid, key = ring.current
    nonce = secrets.token_bytes(12)
    sealed = AESGCM(key).encrypt(nonce, plain.encode(), kid.encode())
    return f"{PREFIX}:{kid}:{base64.b64encode(nonce + sealed).decode()}"


def is_ciphertext(value: str) -> bool:
    return value.startswith(PREFIX + ":") and value.count(":") >= 2


def decrypt(token: str, ring: Keyring | None = None) -> str:
    ring = ring or keyring()
    _prefix, kid, b64 = token.split(":", 2)
    blob = base64.b64decode(b64)
    try:
        return AESGCM(ring.key(kid)).decrypt(blob[:12], blob[12:], kid.encode()).decode()
    except InvalidTag as exc:
        raise KeyError_(f"value encrypted with key {kid!r} does not decrypt") from exc


def normalise(value: str) -> str:
    return value.strip().replace(" ", "").upper()


def blind_index(value: str, ring: Keyring | None = None) -> str:
    ring = ring or keyring()
    digest = hmac.new(ring.index_key, normalise(value).encode(), hashlib.sha256).hexdigest()
    return digest[:INDEX_HEX_CHARS]
