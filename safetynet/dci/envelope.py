"""The DCI message envelope: bearer token, header checks and the optional Ed25519 signature.

Signature (``signature`` beside ``header`` and ``message``), as the spec's MsgSignature
example shows it::

    Signature: namespace="spdci", kidId="{sender_id}|{key_id}|ed25519", algorithm="ed25519",
      created="1606970629", expires="1607030629", headers="(created) (expires) digest",
      signature="{base64 Ed25519 signature}"

The signed string is ``(created): {created}\\n(expires): {expires}\\ndigest: BLAKE-512={d}``
where ``d`` is the base64 BLAKE2b-512 digest of the canonical JSON (keys sorted, no spaces,
UTF-8) of ``{"header": header, "message": message}``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from django.utils import timezone

from safetynet.core.env import env_str
from safetynet.dci.models import Partner, PartnerToken, hash_token
from safetynet.dci.spec import VERSION

RECEIVER_ID = env_str("SAFETYNET_DCI_RECEIVER_ID", "registry.safetynet")
SIGNATURE_FIELD = re.compile(r'(\w+)="([^"]*)"')
MAX_CLOCK_SKEW_SECONDS = 300


@dataclass
class DciError(Exception):
    """A request the registry will not process: the spec's error code, a message naming the
    field and the problem, the HTTP status, and the header reason code where one fits."""

    code: str
    message: str
    http_status: int = 400
    reason_code: str = ""

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


def bearer(header_value: str) -> str:
    scheme, _, token = (header_value or "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def authenticate(raw_token: str) -> Partner:
    """The partner holding ``raw_token``; refused without a valid, unrevoked token."""
    if not raw_token:
        raise DciError("err.request.unauthorized",
                       "send the partner token as 'Authorization: Bearer <token>'", 401)
    token = (PartnerToken.objects.select_related("partner")
             .filter(token_hash=hash_token(raw_token), revoked_at__isnull=True).first())
    if token is None or not token.partner.active:
        raise DciError("err.request.unauthorized", "the token is unknown or revoked", 401)
    PartnerToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.partner


def parse_body(raw: bytes) -> dict[str, Any]:
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise DciError("err.request.bad", f"the body is not JSON: {exc}") from exc
    if not isinstance(body, dict):
        raise DciError("err.request.bad", "the body must be an object with header and message")
    return body


def check_header(partner: Partner, header: dict[str, Any]) -> None:
    """Version, sender, receiver, timestamp and encryption (the schema checked the shape)."""
    if header.get("version", VERSION) != VERSION:
        raise DciError("err.version.not_supported",
                       f"header.version {header.get('version')!r}: only {VERSION}",
                       reason_code="rjct.version.invalid")
    if header.get("sender_id") != partner.code:
        raise DciError("err.sender_id.invalid",
                       f"header.sender_id must be the registered {partner.code!r}", 403)
    if header.get("receiver_id") not in (None, "", RECEIVER_ID):
        raise DciError("err.receiver_id.invalid",
                       f"header.receiver_id must be {RECEIVER_ID!r} (or left out)")
    if parse_timestamp(str(header.get("message_ts", ""))) is None:
        raise DciError("err.request.bad", "header.message_ts: not an ISO 8601 date-time",
                       reason_code="rjct.message_ts.invalid")
    if header.get("is_msg_encrypted"):
        raise DciError("err.encryption.invalid",
                       "header.is_msg_encrypted: encrypted messages are not accepted; the "
                       "connection is protected by TLS")


def parse_timestamp(value: str) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def canonical(header: Any, message: Any) -> bytes:
    return json.dumps({"header": header, "message": message}, sort_keys=True,
                      ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def digest(header: Any, message: Any) -> str:
    return base64.b64encode(hashlib.blake2b(canonical(header, message)).digest()).decode()


def signing_string(created: str, expires: str, body_digest: str) -> bytes:
    return f"(created): {created}\n(expires): {expires}\ndigest: BLAKE-512={body_digest}".encode()


def check_signature(partner: Partner, body: dict[str, Any], now: float | None = None) -> None:
    """Verify the signature when the partner registered a key; demand it when required."""
    signature = body.get("signature")
    if not partner.public_key:
        if partner.require_signature:
            raise DciError("err.signature.invalid", "no signing key is registered", 401)
        return
    if not signature:
        if partner.require_signature:
            raise DciError("err.signature.missing", "this partner must sign its messages", 401)
        return
    fields = dict(SIGNATURE_FIELD.findall(str(signature)))
    missing = [k for k in ("created", "expires", "signature") if k not in fields]
    if missing:
        raise DciError("err.signature.invalid", f"signature lacks {', '.join(missing)}", 401)
    _check_window(fields["created"], fields["expires"], time.time() if now is None else now)
    text = signing_string(fields["created"], fields["expires"],
                          digest(body.get("header"), body.get("message")))
    try:
        key = load_pem_public_key(partner.public_key.encode())
        if not isinstance(key, Ed25519PublicKey):
            raise DciError("err.signature.invalid", "the registered key is not Ed25519", 401)
        key.verify(base64.b64decode(fields["signature"]), text)
    except (InvalidSignature, ValueError) as exc:
        raise DciError("err.signature.invalid",
                       "the signature does not match the header and message", 401) from exc


def _check_window(created: str, expires: str, now: float) -> None:
    try:
        start, end = int(created), int(expires)
    except ValueError as exc:
        raise DciError("err.signature.invalid", "created/expires must be Unix seconds",
                       401) from exc
    if not start - MAX_CLOCK_SKEW_SECONDS <= now <= end:
        raise DciError("err.signature.invalid", "the signature is not valid at this time", 401)


def sign(private_key: Any, header: Any, message: Any, sender_id: str, key_id: str = "1",
         now: int | None = None, lifetime: int = 600) -> str:
    """The signature string for ``header`` + ``message`` (used by clients and tests)."""
    created = int(time.time()) if now is None else now
    expires = created + lifetime
    text = signing_string(str(created), str(expires), digest(header, message))
    value = base64.b64encode(private_key.sign(text)).decode()
    return (f'Signature: namespace="spdci", kidId="{sender_id}|{key_id}|ed25519", '
            f'algorithm="ed25519", created="{created}", expires="{expires}", '
            f'headers="(created) (expires) digest", signature="{value}"')
