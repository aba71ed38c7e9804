"""Households, persons, their incomes, assets and rigid expenditures.

Nothing is ever hard-deleted: households are dissolved, persons marked deceased or moved.
Every change is kept by django-simple-history (who, when, old → new).
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from safetynet.core import dates
from safetynet.core.fields import BlindIndexField, EncryptedCharField
from safetynet.core.models import Area
from safetynet.core.money import MoneyField
from safetynet.registry import choices as c


class Household(models.Model):
    number = models.CharField(_("household number"), max_length=20, unique=True)
    hukou = models.CharField(_("hukou type"), max_length=5, choices=c.Hukou.choices)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="households",
                             verbose_name=_("village / community"))
    address = models.CharField(_("address"), max_length=200)
    phone = EncryptedCharField(_("phone"), plain_max_length=20, blank=True,
                               index_field="phone_index")
    phone_index = BlindIndexField(source="phone", db_index=True)
    bank_name = models.CharField(_("paying bank"), max_length=60, blank=True)
    bank_account = EncryptedCharField(_("benefit card account"), plain_max_length=32, blank=True,
                                      index_field="bank_account_index")
    bank_account_index = BlindIndexField(source="bank_account", db_index=True)
    active = models.BooleanField(_("active"), default=True)
    dissolved_reason = models.CharField(_("reason dissolved"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        indexes = [models.Index(fields=["area", "number"])]

    def __str__(self) -> str:
        return self.number


class Person(models.Model):
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="members",
                                  verbose_name=_("household"))
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="persons",
                             verbose_name=_("village / community"))
    name = models.CharField(_("name"), max_length=40, db_index=True)
    id_number = EncryptedCharField(_("ID number"), plain_max_length=18, null=True, blank=True,
                                   index_field="id_number_index")
    # Keyed hash of the ID number: finds it, and makes it unique, without decrypting.
    id_number_index = BlindIndexField(source="id_number", unique=True)
    sex = models.CharField(_("sex"), max_length=1, choices=c.Sex.choices)
    birth_date = models.DateField(_("birth date"))
    relation = models.CharField(_("relation to head"), max_length=12,
                                choices=c.Relation.choices)
    phone = EncryptedCharField(_("phone"), plain_max_length=20, blank=True,
                               index_field="phone_index")
    phone_index = BlindIndexField(source="phone", db_index=True)
    marital_status = models.CharField(_("marital status"), max_length=10, blank=True,
                                      choices=c.MaritalStatus.choices)
    education = models.CharField(_("education"), max_length=10, blank=True,
                                 choices=c.Education.choices)
    employment = models.CharField(_("employment"), max_length=14, blank=True,
                                  choices=c.Employment.choices)
    disability_category = models.CharField(_("disability category"), max_length=12,
                                           blank=True, choices=c.DisabilityCategory.choices)
    disability_grade = models.PositiveSmallIntegerField(
        _("disability grade"), null=True, blank=True, choices=c.DisabilityGrade.choices)
    serious_illness = models.BooleanField(_("recognised serious illness"), default=False)
    health_notes = models.CharField(_("health conditions"), max_length=200, blank=True)
    self_care = models.CharField(_("self-care ability"), max_length=8,
                                 choices=c.SelfCare.choices, default=c.SelfCare.FULL)
    ability_grade = models.PositiveSmallIntegerField(
        _("elderly ability grade (0–4)"), null=True, blank=True)
    full_time_student = models.BooleanField(_("full-time student"), default=False)
    no_able_supporter = models.BooleanField(_("no legal supporter able to support"),
                                            default=False)
    orphan_status = models.CharField(_("orphan status"), max_length=20, blank=True,
                                     choices=c.OrphanStatus.choices)
    in_institution = models.BooleanField(_("in centralised support"), default=False)
    not_counted = models.CharField(_("not counted in household because"), max_length=10,
                                   blank=True, choices=c.NotCounted.choices)
    deceased_on = models.DateField(_("date of death"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        indexes = [
            # varchar_pattern_ops lets PostgreSQL use it for name prefixes (LIKE '王%').
            models.Index(fields=["area", "name"], name="registry_person_area_name_like",
                         opclasses=["varchar_pattern_ops", "varchar_pattern_ops"]),
            models.Index(fields=["name", "birth_date", "area"]),
        ]

    def __str__(self) -> str:
        return self.name

    def age_on(self, day: date) -> int:
        return dates.age_on(self.birth_date, day)

    @property
    def alive(self) -> bool:
        return self.deceased_on is None


class IncomeItem(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="incomes")
    kind = models.CharField(_("income type"), max_length=10, choices=c.IncomeKind.choices)
    monthly_amount = MoneyField(_("monthly amount (yuan)"))
    note = models.CharField(_("note"), max_length=100, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("income item")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.monthly_amount}"


class Asset(models.Model):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="assets")
    kind = models.CharField(_("asset type"), max_length=16, choices=c.AssetKind.choices)
    value = MoneyField(_("value (yuan)"), default=0)
    note = models.CharField(_("note"), max_length=100, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("asset")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value}"


class RigidExpense(models.Model):
    household = models.ForeignKey(Household, on_delete=models.CASCADE,
                                  related_name="rigid_expenses")
    kind = models.CharField(_("expense type"), max_length=16, choices=c.ExpenseKind.choices)
    monthly_amount = MoneyField(_("monthly amount (yuan)"))
    note = models.CharField(_("note"), max_length=100, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rigid expenditure")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.monthly_amount}"


class DuplicateFlag(models.Model):
    """Two persons without ID numbers that look like the same person, for review."""

    OPEN, DISTINCT, MERGED = "open", "distinct", "merged"
    STATES = [(OPEN, _("Open")), (DISTINCT, _("Different persons")), (MERGED, _("Merged"))]

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    candidate = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=STATES, default=OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("possible duplicate")

    def __str__(self) -> str:
        return f"{self.person_id} ~ {self.candidate_id}"


from safetynet.registry.models_imports import ImportJob  # noqa: E402, F401
