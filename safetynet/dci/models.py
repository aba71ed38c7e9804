"""DCI partner systems, their tokens, transactions, subscriptions, registry events and the
callbacks waiting to be delivered to them.

A partner (another department's system) is not a staff account: it holds its own bearer
tokens, which open only the DCI endpoints under /dci/, and it answers to the same
jurisdiction filter as staff through ``areas`` (``core.jurisdiction.scope`` takes it).
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from safetynet.accounts.roles import Department
from safetynet.core.models import Area
from safetynet.registry.models import Household, Person


class FieldGroup(models.TextChoices):
    """What a partner may see (and query by); everything else is left out of its answers."""

    IDENTITY = "identity", _("Name, sex and birth date")
    ID_NUMBER = "id_number", _("ID number, masked")
    ID_NUMBER_FULL = "id_number_full", _("ID number in full")
    CONTACT = "contact", _("Address and phone, masked")
    HOUSEHOLD = "household", _("Household number, hukou, relation and members")
    SOCIAL = "social", _("Marital status, education and employment")
    DISABILITY = "disability", _("Disability category and grade")
    ASSISTANCE = "assistance", _("Social-assistance enrolments")
    VITAL = "vital", _("Date of death")


class EventKind(models.TextChoices):
    """Registry events a partner may subscribe to."""

    ENROLMENT = "enrolment", _("Enrolment in a programme")
    EXIT = "exit", _("Exit from a programme")
    DEATH = "death", _("Death")
    MOVE = "move", _("Move to another household")


class Partner(models.Model):
    code = models.CharField(
        _("sender ID"), max_length=60, unique=True,
        validators=[RegexValidator(r"^[a-z0-9][a-z0-9.\-]{1,59}$",
                                   _("lower-case letters, digits, dots and hyphens"))],
        help_text=_("The sender_id the partner's system puts in every message header."))
    name = models.CharField(_("name"), max_length=100)
    department = models.CharField(_("partner department"), max_length=20, blank=True,
                                  choices=Department.choices)
    purpose = models.CharField(_("purpose of use"), max_length=200,
                               help_text=_("Recorded with every query that names no purpose."))
    field_groups = models.JSONField(_("fields it may see"), default=list)
    areas = models.ManyToManyField(Area, blank=True, related_name="dci_partners",
                                   verbose_name=_("areas"))
    callback_url = models.URLField(_("callback base URL"), blank=True,
                                   help_text=_("Answers of asynchronous requests and "
                                               "notifications are sent under this address."))
    public_key = models.TextField(_("signing public key (Ed25519, PEM)"), blank=True)
    require_signature = models.BooleanField(_("signed messages required"), default=False)
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    # What the jurisdiction filter and the minors' rule ask of whoever reads records.
    is_authenticated = True
    works_with_children = False

    class Meta:
        verbose_name = _("DCI partner")
        verbose_name_plural = _("DCI partners")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def field_group_labels(self) -> list[str]:
        return [str(FieldGroup(g).label) for g in self.field_groups if g in FieldGroup.values]

    def grants(self, group: str) -> bool:
        return group in self.field_groups or (
            group == FieldGroup.ID_NUMBER and FieldGroup.ID_NUMBER_FULL in self.field_groups)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class PartnerToken(models.Model):
    """A bearer token of a partner; only its SHA-256 hash is stored."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="tokens")
    prefix = models.CharField(max_length=12)
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("DCI partner token")

    def __str__(self) -> str:
        return f"{self.prefix}…"


class TxnStatus(models.TextChoices):
    RECEIVED = "rcvd", _("Received")
    PENDING = "pdng", _("Pending")
    SUCCEEDED = "succ", _("Succeeded")
    REJECTED = "rjct", _("Rejected")


class Transaction(models.Model):
    """One DCI request of a partner and the answer it was given (masked as sent)."""

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="transactions")
    action = models.CharField(max_length=20)
    asynchronous = models.BooleanField(default=False)
    message_id = models.CharField(max_length=99)
    transaction_id = models.CharField(max_length=99, db_index=True)
    correlation_id = models.CharField(max_length=99, unique=True)
    reference_ids = models.JSONField(default=list)
    status = models.CharField(max_length=4, choices=TxnStatus.choices,
                              default=TxnStatus.RECEIVED)
    request = models.JSONField(default=dict)
    response = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("DCI transaction")
        constraints = [models.UniqueConstraint(fields=["partner", "message_id"],
                                               name="dci_one_message_id_per_partner")]

    def __str__(self) -> str:
        return f"{self.action} {self.transaction_id}"


class Subscription(models.Model):
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT,
                                related_name="subscriptions")
    code = models.CharField(max_length=40, unique=True)
    transaction = models.ForeignKey(Transaction, on_delete=models.PROTECT, related_name="+")
    reference_id = models.CharField(max_length=99)
    event_kind = models.CharField(max_length=10, choices=EventKind.choices)
    reg_event_type = models.CharField(max_length=99)
    filter_type = models.CharField(max_length=20)
    filter = models.JSONField(default=dict)
    notify_record_type = models.CharField(max_length=99)
    frequency = models.JSONField(default=dict, blank=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("DCI subscription")
        indexes = [models.Index(fields=["event_kind", "active"])]

    def __str__(self) -> str:
        return self.code


class RegistryEvent(models.Model):
    """Something a subscriber may be told about; written in the change's transaction."""

    kind = models.CharField(max_length=10, choices=EventKind.choices)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+")
    area_code = models.CharField(max_length=12)
    detail = models.JSONField(default=dict)
    occurred_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("registry event for subscribers")

    def __str__(self) -> str:
        return f"{self.kind} {self.person_id}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    DELIVERED = "delivered", _("Delivered")
    DEAD = "dead", _("Given up (dead letter)")


class Delivery(models.Model):
    """A callback to a partner (an answer or a notification), sent by the worker with
    retries; after the last failed attempt it stays on the dead-letter list."""

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="deliveries")
    action = models.CharField(max_length=20)
    url = models.URLField(max_length=400)
    payload = models.JSONField(default=dict)
    # Deliveries with the same key go out in the order they were made (one person's events).
    order_key = models.CharField(max_length=40)
    subscription = models.ForeignKey(Subscription, on_delete=models.PROTECT, null=True,
                                     blank=True, related_name="deliveries")
    event = models.ForeignKey(RegistryEvent, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="deliveries")
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices,
                              default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    last_error = models.CharField(max_length=300, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("DCI callback")
        constraints = [models.UniqueConstraint(
            fields=["subscription", "event"], condition=Q(event__isnull=False),
            name="dci_one_notification_per_event")]
        indexes = [models.Index(fields=["partner", "status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.action} → {self.partner_id} ({self.status})"

    def describe(self) -> dict[str, Any]:
        return {"id": self.pk, "action": self.action, "status": self.status,
                "attempts": self.attempts, "error": self.last_error}
