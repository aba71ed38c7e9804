"""The monthly report: the summary of one month and one area (the county and each
township), kept with its XLSX and PDF as generated on the first of the next month."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from safetynet.core.models import Area


class MonthlyReport(models.Model):
    month = models.DateField(_("month"))  # first day
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("area"))
    generated_at = models.DateTimeField(_("generated at"))
    summary = models.JSONField(_("figures"), default=dict)
    xlsx = models.BinaryField(_("Excel file"))
    pdf = models.BinaryField(_("PDF file"))

    class Meta:
        ordering = ["-month", "area_id"]
        verbose_name = _("monthly report")
        verbose_name_plural = _("monthly reports")
        constraints = [models.UniqueConstraint(fields=["month", "area"],
                                               name="reports_one_monthly_report")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.area_id}"


MONTHS = range(1, 13)


class LedgerRow(models.Model):
    """One payment figure's year for one beneficiary in one village: the fen paid and the
    persons covered in each month (0 when not paid). Built from the paid payment lines by
    ``reports.ledger`` so that figures over any months count distinct households and
    persons from some 70,000 narrow rows a year instead of every payment line."""

    figure = models.CharField(max_length=24)
    year = models.PositiveSmallIntegerField()
    household_id = models.BigIntegerField()
    person_id = models.BigIntegerField(null=True)
    area = models.ForeignKey(Area, on_delete=models.DO_NOTHING, db_constraint=False,
                             related_name="+")
    township = models.CharField(max_length=9)
    locals().update({f"f{m}": models.BigIntegerField(default=0) for m in MONTHS})
    locals().update({f"p{m}": models.PositiveSmallIntegerField(default=0) for m in MONTHS})

    class Meta:
        indexes = [models.Index(fields=["year", "figure", "township"])]

    def __str__(self) -> str:
        return f"{self.figure} {self.year} {self.household_id}/{self.person_id}"


class LedgerState(models.Model):
    """What the ledger of one programme's year was built from (a fingerprint of its
    payroll runs and bank returns): a different fingerprint means rebuild."""

    program = models.CharField(max_length=24)
    year = models.PositiveSmallIntegerField()
    fingerprint = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["program", "year"],
                                               name="reports_ledger_state_once")]

    def __str__(self) -> str:
        return f"{self.program} {self.year}"


class LedgerMonth(models.Model):
    """One payment figure's month in one village: households, persons and lines paid and
    their fen (a beneficiary is paid once a month, so villages add up to any area).
    Built with ``LedgerRow`` from the same lines; the trends by month read it."""

    figure = models.CharField(max_length=24)
    period = models.DateField()
    area = models.ForeignKey(Area, on_delete=models.DO_NOTHING, db_constraint=False,
                             related_name="+")
    township = models.CharField(max_length=9)
    households = models.PositiveIntegerField(default=0)
    persons = models.PositiveIntegerField(default=0)
    lines = models.PositiveIntegerField(default=0)
    fen = models.BigIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["period", "figure"])]

    def __str__(self) -> str:
        return f"{self.figure} {self.period:%Y-%m} {self.area_id}"
