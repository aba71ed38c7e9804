"""Registering partner systems: one function per action, one transaction, audited."""

from __future__ import annotations

import secrets
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safetynet.core import audit
from safetynet.core.actor import Actor
from safetynet.core.models import Area
from safetynet.dci import permissions
from safetynet.dci.models import (
    Delivery,
    DeliveryStatus,
    FieldGroup,
    Partner,
    PartnerToken,
    hash_token,
)

PARTNER_FIELDS = ("name", "department", "purpose", "callback_url", "public_key",
                  "require_signature")
TOKEN_PREFIX = "dci_"


def _require_manager(actor: Actor) -> None:
    if not permissions.can_manage(actor):
        raise PermissionDenied(_("Only the system or security administrator may register "
                                 "partner systems."))


def _clean(partner: Partner, field_groups: list[str], area_codes: list[str]) -> list[Area]:
    unknown = sorted(set(field_groups) - set(FieldGroup.values))
    if unknown:
        raise ValidationError({"field_groups": _("unknown field group %(g)s")
                               % {"g": ", ".join(unknown)}})
    areas = list(Area.objects.filter(code__in=area_codes))
    if not area_codes or len(areas) != len(set(area_codes)):
        raise ValidationError({"areas": _("choose one or more known areas")})
    if partner.public_key:
        _check_key(partner.public_key)
    if partner.require_signature and not partner.public_key:
        raise ValidationError({"public_key": _("signed messages need the partner's public "
                                               "key")})
    partner.field_groups = sorted(set(field_groups))
    partner.full_clean(exclude=["field_groups"])
    return areas


def _check_key(pem: str) -> None:
    try:
        key = load_pem_public_key(pem.strip().encode())
    except ValueError as exc:
        raise ValidationError({"public_key": _("not a PEM public key")}) from exc
    if not isinstance(key, Ed25519PublicKey):
        raise ValidationError({"public_key": _("the key must be an Ed25519 key")})


@transaction.atomic
def register_partner(actor: Actor, code: str, data: dict[str, Any], field_groups: list[str],
                     area_codes: list[str]) -> Partner:
    """A department's system becomes a partner with its fields and areas (no token yet)."""
    _require_manager(actor)
    if Partner.objects.filter(code=code).exists():
        raise ValidationError({"code": _("sender ID %(c)s is taken") % {"c": code}})
    partner = Partner(code=code, created_by=actor.user,
                      **{f: data.get(f) or "" for f in PARTNER_FIELDS
                         if f != "require_signature"},
                      require_signature=bool(data.get("require_signature")))
    areas = _clean(partner, field_groups, area_codes)
    partner.save()
    partner.areas.set(areas)
    audit.record("dci_partner_register", user=actor, obj=partner,
                 code=code, field_groups=partner.field_groups, areas=sorted(area_codes))
    return partner


@transaction.atomic
def update_partner(actor: Actor, partner: Partner, data: dict[str, Any],
                   field_groups: list[str], area_codes: list[str]) -> Partner:
    """Change what a partner may see, where, and how it is called back."""
    _require_manager(actor)
    old = {"field_groups": list(partner.field_groups),
           "areas": sorted(partner.areas.values_list("code", flat=True))}
    for field in PARTNER_FIELDS:
        if field in data:
            value = data[field]
            setattr(partner, field, bool(value) if field == "require_signature"
                    else value or "")
    areas = _clean(partner, field_groups, area_codes)
    partner.save()
    partner.areas.set(areas)
    audit.record("dci_partner_scope", user=actor, obj=partner, old=old,
                 field_groups=partner.field_groups, areas=sorted(area_codes))
    return partner


@transaction.atomic
def set_partner_active(actor: Actor, partner: Partner, active: bool) -> Partner:
    """Suspend (or restore) every access of a partner at once."""
    _require_manager(actor)
    partner.active = active
    partner.save(update_fields=["active"])
    audit.record("dci_partner_active", user=actor, obj=partner,
                 active=active)
    return partner


@transaction.atomic
def issue_token(actor: Actor | None, partner: Partner) -> tuple[PartnerToken, str]:
    """A new bearer token; the raw value is returned once and only its hash is kept."""
    if actor is not None:  # None: the system (the demo command)
        _require_manager(actor)
    if not partner.active:
        raise ValidationError({"partner": _("the partner is suspended")})
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = PartnerToken.objects.create(partner=partner, prefix=raw[:12],
                                        token_hash=hash_token(raw),
                                        created_by=actor.user if actor is not None else None)
    audit.record("dci_token_issue", user=actor, obj=partner,
                 prefix=token.prefix, username="" if actor else "system")
    return token, raw


@transaction.atomic
def revoke_token(actor: Actor, token: PartnerToken) -> PartnerToken:
    _require_manager(actor)
    if token.revoked_at is not None:
        raise ValidationError({"token": _("the token %(p)s… is already revoked")
                               % {"p": token.prefix}})
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record("dci_token_revoke", user=actor, obj=token.partner,
                 prefix=token.prefix)
    return token


@transaction.atomic
def retry_dead_letter(actor: Actor, delivery: Delivery) -> Delivery:
    """Put a given-up callback back in the queue (after the partner fixed its endpoint)."""
    _require_manager(actor)
    if delivery.status != DeliveryStatus.DEAD:
        raise ValidationError({"delivery": _("only a given-up callback can be retried")})
    delivery.status, delivery.attempts = DeliveryStatus.PENDING, 0
    delivery.next_attempt_at = timezone.now()
    delivery.save(update_fields=["status", "attempts", "next_attempt_at"])
    audit.record("dci_delivery_retry", user=actor, obj=delivery,
                 partner=delivery.partner.code)
    return delivery
