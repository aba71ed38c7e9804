"""Payroll runs, their payment lines, bank files, overpayments and their recovery.

Exactly one payment per beneficiary, programme and period (DOMAIN.md §8): the partial
unique index ``payments_one_payment_per_period`` makes a second pending or paid line for
the same beneficiary, programme and period impossible, whatever the code does; a failed
line can be re-issued (a new line linked to it by ``original``). One regular run per
programme and period (``payments_one_regular_run``) keeps concurrent preparations apart.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from safetynet.benefits.models import Enrollment, Program
from safetynet.core.fields import BlindIndexField, EncryptedCharField
from safetynet.core.models import Area
from safetynet.core.money import MoneyField
from safetynet.registry.models import Household, Person


class RunKind(models.TextChoices):
    REGULAR = "regular", _("Regular payroll")
    REISSUE = "reissue", _("Re-issue of failed payments")


class RunStatus(models.TextChoices):
    PREPARING = "preparing", _("Being prepared")
    PREPARED = "prepared", _("Prepared, to be checked")
    CHECKED = "checked", _("Checked, awaiting approval")
    APPROVED = "approved", _("Approved, ready for the bank")
    EXPORTED = "exported", _("Sent to the bank")
    CLOSED = "closed", _("Bank returns complete")
    REJECTED = "rejected", _("Rejected")


class PayrollRun(models.Model):
    program = models.CharField(_("programme"), max_length=24, choices=Program.choices)
    period = models.DateField(_("period"))  # first month (of the quarter, quarterly)
    months = models.PositiveSmallIntegerField(_("months"), default=1)
    kind = models.CharField(_("kind"), max_length=8, choices=RunKind.choices,
                            default=RunKind.REGULAR)
    reissue_of = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="reissues", verbose_name=_("re-issue of"))
    status = models.CharField(_("status"), max_length=10, choices=RunStatus.choices,
                              default=RunStatus.PREPARING)
    lines = models.PositiveIntegerField(_("lines"), default=0)
    total = MoneyField(_("total"), default=0)
    control = models.JSONField(_("control totals by township"), default=dict, blank=True)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("prepared by"))
    prepared_at = models.DateTimeField(_("prepared at"), null=True, blank=True)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("checked by"))
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("approved by"))
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    rejected_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("rejected by"))
    decision_note = models.CharField(_("decision note"), max_length=200, blank=True)
    exported_at = models.DateTimeField(_("first sent at"), null=True, blank=True)
    message = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-period", "-pk"]
        verbose_name = _("payroll run")
        verbose_name_plural = _("payroll runs")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "period"],
                condition=Q(kind="regular") & ~Q(status="rejected"),
                name="payments_one_regular_run"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.program} {self.period:%Y-%m} ({self.status})"


class LineStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting the bank")
    PAID = "paid", _("Paid")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")
    # No benefit card account when the run was checked: never sent to the bank; paid by a
    # re-issue run once the household's account is recorded.
    HELD = "held", _("Held: no benefit card account")


# A line without a benefit card account (its blind index is empty with the account).
NO_ACCOUNT = Q(bank_account_index__isnull=True) | Q(bank_account_index="")


class PaymentLine(models.Model):
    """One payment to one beneficiary for one period of one programme."""

    run = models.ForeignKey(PayrollRun, on_delete=models.PROTECT, related_name="payment_lines")
    program = models.CharField(_("programme"), max_length=24, choices=Program.choices)
    period = models.DateField(_("period"))
    beneficiary = models.CharField(max_length=24)
    enrollment = models.ForeignKey(Enrollment, on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("household"))
    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+", verbose_name=_("person"))
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("village / community"))
    township = models.CharField(_("township"), max_length=9)
    months = models.PositiveSmallIntegerField(_("months"), default=1)
    monthly_amount = MoneyField(_("monthly amount"))
    amount = MoneyField(_("amount"))
    persons = models.PositiveSmallIntegerField(_("persons"), default=1)
    bank_name = models.CharField(_("paying bank"), max_length=60, blank=True)
    bank_account = EncryptedCharField(_("benefit card account"), plain_max_length=32,
                                      blank=True, index_field="bank_account_index")
    bank_account_index = BlindIndexField(source="bank_account")
    status = models.CharField(_("status"), max_length=10, choices=LineStatus.choices,
                              default=LineStatus.PENDING)
    bank_reason = models.CharField(_("bank's reason"), max_length=200, blank=True)
    bank_reference = models.CharField(_("bank's reference"), max_length=64, blank=True)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    original = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="reissues", verbose_name=_("re-issue of"))

    class Meta:
        ordering = ["run", "pk"]
        verbose_name = _("payment line")
        verbose_name_plural = _("payment lines")
        constraints = [
            models.UniqueConstraint(
                fields=["beneficiary", "program", "period"],
                condition=Q(status__in=["pending", "paid"]),
                name="payments_one_payment_per_period"),
        ]
        indexes = [models.Index(fields=["run", "status"]),
                   models.Index(fields=["program", "period", "township"])]

    def __str__(self) -> str:
        return f"{self.reference} {self.beneficiary} {self.amount}"

    @property
    def reference(self) -> str:
        return reference_of(self.pk)


def reference_of(pk: int) -> str:
    """The line's reference in bank files: ``SN`` and the line id, 10 digits."""
    return f"SN{pk:010d}"


class Direction(models.TextChoices):
    EXPORT = "export", _("Sent to the bank")
    RETURN = "return", _("Returned by the bank")


class BankFile(models.Model):
    """A file exchanged with the bank: its name, checksum and totals (never its content:
    it carries full account numbers)."""

    run = models.ForeignKey(PayrollRun, on_delete=models.PROTECT, related_name="files")
    direction = models.CharField(_("direction"), max_length=6, choices=Direction.choices)
    name = models.CharField(_("file name"), max_length=120)
    format = models.CharField(_("format"), max_length=4)
    adapter = models.CharField(_("layout"), max_length=20, default="default")
    sha256 = models.CharField(max_length=64)
    lines = models.PositiveIntegerField(_("lines"), default=0)
    total = MoneyField(_("total"), default=0)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("by"))
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("bank file")
        verbose_name_plural = _("bank files")
        constraints = [
            models.UniqueConstraint(fields=["name"], condition=Q(direction="export"),
                                    name="payments_unique_export_name"),
            models.UniqueConstraint(fields=["run", "sha256"], condition=Q(direction="return"),
                                    name="payments_return_once"),
        ]

    def __str__(self) -> str:
        return self.name


class RecoveryStatus(models.TextChoices):
    OPEN = "open", _("To recover")
    RECOVERED = "recovered", _("Recovered")
    WAIVED = "waived", _("Waived")


class Overpayment(models.Model):
    """Money paid that was not due (e.g. after a death reported late), to be recovered."""

    line = models.ForeignKey(PaymentLine, on_delete=models.PROTECT, related_name="overpayments",
                             verbose_name=_("payment line"))
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    amount = MoneyField(_("amount overpaid"))
    recovered = MoneyField(_("recovered so far"), default=0)
    reason = models.CharField(_("reason"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=RecoveryStatus.choices,
                              default=RecoveryStatus.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("overpayment")
        verbose_name_plural = _("overpayments")

    def __str__(self) -> str:
        return f"{self.line_id} {self.amount} ({self.status})"

    @property
    def outstanding(self) -> object:
        return self.amount - self.recovered


class Recovery(models.Model):
    overpayment = models.ForeignKey(Overpayment, on_delete=models.PROTECT,
                                    related_name="recoveries")
    amount = MoneyField(_("amount recovered"))
    on = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                             blank=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["overpayment", "on", "pk"]
        verbose_name = _("recovery")
        verbose_name_plural = _("recoveries")

    def __str__(self) -> str:
        return f"{self.overpayment_id} {self.amount} {self.on}"
