"""Elderly care: ability assessments, purchased home-care visits with proof of service and
the providers' monthly statements, care institutions, age-friendly modifications and
insurance rosters. Nothing is hard-deleted: visits are voided, stays discharged, covers
removed, each with who and when.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from safetynet.core.models import Area
from safetynet.core.money import MoneyField
from safetynet.registry.models import Household, Person

USER = settings.AUTH_USER_MODEL


def photo_path(instance: Any, filename: str) -> str:
    """Stored under a random name: nothing the uploader chose reaches the file system."""
    return f"eldercare/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


# --- ability assessment -------------------------------------------------------------------


class Assessment(models.Model):
    """One completed GB/T 42195-2022 form: the 26 item scores, part scores, total, grade."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="assessments",
                               verbose_name=_("person"))
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("village / community"))
    assessed_on = models.DateField(_("assessed on"))
    assessor = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("assessor"))
    scores = models.JSONField(_("item scores"), default=dict)
    dementia = models.BooleanField(_("diagnosed dementia"), default=False)
    psychiatric = models.BooleanField(_("other diagnosed psychiatric illness"), default=False)
    risk_events = models.PositiveSmallIntegerField(
        _("care-risk events in the last 30 days"), default=0)
    self_care_score = models.PositiveSmallIntegerField(_("self-care ability"))
    motor_score = models.PositiveSmallIntegerField(_("basic motor ability"))
    mental_score = models.PositiveSmallIntegerField(_("mental state"))
    perception_score = models.PositiveSmallIntegerField(
        _("perception and social participation"))
    total = models.PositiveSmallIntegerField(_("total score"))
    preliminary_grade = models.PositiveSmallIntegerField(_("grade from the total"))
    grade = models.PositiveSmallIntegerField(_("ability grade"))
    next_due = models.DateField(_("reassessment due"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-assessed_on", "-pk"]
        verbose_name = _("ability assessment")
        verbose_name_plural = _("ability assessments")
        indexes = [models.Index(fields=["person", "-assessed_on"]),
                   models.Index(fields=["area", "next_due"])]

    def __str__(self) -> str:
        return f"{self.person_id} {self.assessed_on} {self.grade}"


# --- home care: providers, contracts, orders, visits, statements ---------------------------


class ServiceItem(models.TextChoices):
    MEALS = "meals", _("Meals")
    BATHING = "bathing", _("Bathing")
    CLEANING = "cleaning", _("Cleaning")
    MEDICAL = "medical", _("Medical help")
    SHOPPING = "shopping", _("Shopping")


class Provider(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    contact_person = models.CharField(_("contact person"), max_length=40, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("service provider")
        verbose_name_plural = _("service providers")

    def __str__(self) -> str:
        return self.name


class Contract(models.Model):
    """The county's purchase contract with a provider: period, service areas, prices."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="contracts",
                                 verbose_name=_("service provider"))
    number = models.CharField(_("contract number"), max_length=40, unique=True)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    areas = models.ManyToManyField(Area, related_name="+", verbose_name=_("service areas"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "number"]
        verbose_name = _("service contract")
        verbose_name_plural = _("service contracts")

    def __str__(self) -> str:
        return self.number


class ContractPrice(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="prices")
    item = models.CharField(_("service item"), max_length=10, choices=ServiceItem.choices)
    price = MoneyField(_("price per service (yuan)"))

    class Meta:
        verbose_name = _("contract price")
        constraints = [models.UniqueConstraint(fields=["contract", "item"],
                                               name="eldercare_price_once")]

    def __str__(self) -> str:
        return f"{self.item} {self.price}"


class ProviderStaff(models.Model):
    """A login that records visits for a provider (the provider's worker)."""

    user = models.OneToOneField(USER, on_delete=models.CASCADE, related_name="provider_staff",
                                verbose_name=_("login"))
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="staff",
                                 verbose_name=_("service provider"))
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("provider staff")

    def __str__(self) -> str:
        return f"{self.user_id}@{self.provider_id}"


class ServiceOrder(models.Model):
    """One person's purchased home care for one month, assigned to a provider."""

    month = models.DateField(_("month"))
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="care_orders",
                               verbose_name=_("person"))
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("village / community"))
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="orders",
                                 verbose_name=_("service provider"))
    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="orders")
    entitlement = MoneyField(_("entitlement (yuan per month)"))
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["area_id", "person__name"]
        verbose_name = _("service order")
        verbose_name_plural = _("service orders")
        constraints = [models.UniqueConstraint(fields=["person", "month"],
                                               name="eldercare_order_once_a_month")]
        indexes = [models.Index(fields=["month", "provider"]),
                   models.Index(fields=["month", "area"])]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.person_id}"


class Confirmation(models.TextChoices):
    SELF = "self", _("The elderly person")
    FAMILY = "family", _("A family member")
    NONE = "none", _("Not confirmed")


class Visit(models.Model):
    order = models.ForeignKey(ServiceOrder, on_delete=models.PROTECT, related_name="visits",
                              verbose_name=_("service order"))
    worker = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("worker"))
    started_at = models.DateTimeField(_("check-in"))
    ended_at = models.DateTimeField(_("check-out"))
    value = MoneyField(_("value (yuan)"))
    notes = models.CharField(_("notes"), max_length=300, blank=True)
    photo = models.FileField(_("photo"), upload_to=photo_path, max_length=200,
                             blank=True)
    confirmation = models.CharField(_("confirmed by"), max_length=6,
                                    choices=Confirmation.choices, default=Confirmation.NONE)
    confirmer_name = models.CharField(_("name of who confirmed"), max_length=40, blank=True)
    flags = models.JSONField(_("implausibility flags"), default=list, blank=True)
    voided = models.BooleanField(_("voided"), default=False)
    void_reason = models.CharField(_("reason voided"), max_length=200, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["started_at", "pk"]
        verbose_name = _("home-care visit")
        verbose_name_plural = _("home-care visits")
        indexes = [models.Index(fields=["worker", "started_at"])]

    def __str__(self) -> str:
        return f"{self.order_id} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def minutes(self) -> int:
        return max(0, int((self.ended_at - self.started_at).total_seconds() // 60))

    @property
    def confirmed(self) -> bool:
        return self.confirmation != Confirmation.NONE


class VisitItem(models.Model):
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="items")
    item = models.CharField(_("service item"), max_length=10, choices=ServiceItem.choices)
    quantity = models.PositiveSmallIntegerField(_("quantity"), default=1)
    unit_price = MoneyField(_("price per service (yuan)"))
    amount = MoneyField(_("amount (yuan)"))

    class Meta:
        verbose_name = _("service item of a visit")

    def __str__(self) -> str:
        return f"{self.item} × {self.quantity}"


class StatementStatus(models.TextChoices):
    DRAFT = "draft", _("Computed, awaiting approval")
    APPROVED = "approved", _("Approved by the county")


class Statement(models.Model):
    """A provider's monthly statement: what the county pays, from compliant months only."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="statements",
                                 verbose_name=_("service provider"))
    month = models.DateField(_("month"))
    status = models.CharField(_("status"), max_length=10, choices=StatementStatus.choices,
                              default=StatementStatus.DRAFT)
    orders = models.PositiveIntegerField(_("orders"), default=0)
    compliant = models.PositiveIntegerField(_("compliant months"), default=0)
    amount = MoneyField(_("amount payable (yuan)"), default=0)
    computed_at = models.DateTimeField(_("computed at"))
    computed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("approved by"))

    class Meta:
        ordering = ["-month", "provider__name"]
        verbose_name = _("provider statement")
        verbose_name_plural = _("provider statements")
        constraints = [models.UniqueConstraint(fields=["provider", "month"],
                                               name="eldercare_statement_once")]

    def __str__(self) -> str:
        return f"{self.provider_id} {self.month:%Y-%m}"


class StatementLine(models.Model):
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="lines")
    order = models.ForeignKey(ServiceOrder, on_delete=models.PROTECT, related_name="+")
    visits = models.PositiveSmallIntegerField(_("counted visits"), default=0)
    minutes = models.PositiveIntegerField(_("minutes"), default=0)
    value = MoneyField(_("value delivered (yuan)"), default=0)
    entitlement = MoneyField(_("entitlement (yuan)"))
    payable = MoneyField(_("payable (yuan)"), default=0)
    reasons = models.JSONField(_("shortfalls"), default=list, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("statement line")

    def __str__(self) -> str:
        return f"{self.statement_id} {self.order_id} {self.payable}"


# --- care institutions ----------------------------------------------------------------------


class InstitutionKind(models.TextChoices):
    REGIONAL = "regional", _("Regional elderly-care centre")
    WELFARE_HOME = "welfare_home", _("Township welfare home (敬老院)")
    PRIVATE = "private", _("Private care institution")


class BedType(models.TextChoices):
    NURSING = "nursing", _("Nursing bed")
    ORDINARY = "ordinary", _("Ordinary bed")


class Institution(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("type"), max_length=14, choices=InstitutionKind.choices)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("township / village"))
    address = models.CharField(_("address"), max_length=200, blank=True)
    reserved_beds = models.PositiveIntegerField(
        _("beds kept for centralised extreme-poverty support"), default=0)
    day_care_places = models.PositiveIntegerField(_("day-care places"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["area_id", "name"]
        verbose_name = _("care institution")
        verbose_name_plural = _("care institutions")

    def __str__(self) -> str:
        return self.name


class Beds(models.Model):
    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="beds")
    bed_type = models.CharField(_("bed type"), max_length=10, choices=BedType.choices)
    count = models.PositiveIntegerField(_("beds"))

    class Meta:
        verbose_name = _("beds of a type")
        constraints = [models.UniqueConstraint(fields=["institution", "bed_type"],
                                               name="eldercare_beds_once")]

    def __str__(self) -> str:
        return f"{self.bed_type} {self.count}"


class StayKind(models.TextChoices):
    TEKUN = "tekun", _("Centralised extreme-poverty support")
    SOCIAL = "social", _("Social elderly (spare bed)")
    DAY_CARE = "day_care", _("Day care")
    REHAB = "rehab", _("Rehabilitation")


RESIDENT_KINDS = frozenset({StayKind.TEKUN, StayKind.SOCIAL})


class Stay(models.Model):
    """A resident or day-care / rehabilitation user, from admission to discharge."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="stays",
                                    verbose_name=_("care institution"))
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="care_stays",
                               verbose_name=_("person"))
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("village / community"))
    kind = models.CharField(_("type"), max_length=10, choices=StayKind.choices)
    bed_type = models.CharField(_("bed type"), max_length=10, choices=BedType.choices,
                                blank=True)
    admitted_on = models.DateField(_("admitted on"))
    discharged_on = models.DateField(_("discharged on"), null=True, blank=True)
    discharge_reason = models.CharField(_("reason discharged"), max_length=200, blank=True)
    admitted_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    discharged_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+")

    class Meta:
        ordering = ["-admitted_on", "pk"]
        verbose_name = _("stay in an institution")
        verbose_name_plural = _("stays in institutions")
        constraints = [models.UniqueConstraint(
            fields=["person"], condition=Q(discharged_on__isnull=True),
            name="eldercare_one_open_stay")]

    def __str__(self) -> str:
        return f"{self.person_id} @ {self.institution_id}"


# --- age-friendly modifications -------------------------------------------------------------


class PlanStatus(models.TextChoices):
    PLANNED = "planned", _("Plan agreed")
    IN_WORK = "in_work", _("Contractor at work")
    DONE = "done", _("Accepted")
    CANCELLED = "cancelled", _("Cancelled")


class ModificationPlan(models.Model):
    """One household's plan ("one household, one plan") from the 30-item catalogue."""

    household = models.ForeignKey(Household, on_delete=models.PROTECT,
                                  related_name="modification_plans",
                                  verbose_name=_("household"))
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("elderly person"))
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("village / community"))
    year = models.PositiveSmallIntegerField(_("programme year"))
    application_id = models.PositiveIntegerField(_("application"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=PlanStatus.choices,
                              default=PlanStatus.PLANNED)
    eligibility = models.CharField(_("why eligible"), max_length=300)
    contractor = models.CharField(_("contractor"), max_length=100, blank=True)
    government_cost = MoneyField(_("government-funded (yuan)"), default=0)
    own_cost = MoneyField(_("self-paid (yuan)"), default=0)
    before_photo = models.FileField(_("photo before"), upload_to=photo_path,
                                    max_length=200, blank=True)
    after_photo = models.FileField(_("photo after"), upload_to=photo_path,
                                   max_length=200, blank=True)
    started_on = models.DateField(_("work started on"), null=True, blank=True)
    accepted_on = models.DateField(_("work accepted on"), null=True, blank=True)
    acceptance_note = models.CharField(_("acceptance check"), max_length=300, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    accepted_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("modification plan")
        verbose_name_plural = _("modification plans")
        constraints = [models.UniqueConstraint(
            fields=["household"], condition=~Q(status="cancelled"),
            name="eldercare_one_plan_per_household")]

    def __str__(self) -> str:
        return f"{self.household_id} {self.year}"


class PlanItem(models.Model):
    plan = models.ForeignKey(ModificationPlan, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(_("catalogue item"), max_length=24)
    quantity = models.PositiveSmallIntegerField(_("quantity"))
    unit_price = MoneyField(_("unit price (yuan)"))
    amount = MoneyField(_("amount (yuan)"))
    government_paid = models.BooleanField(_("government-funded"))

    class Meta:
        ordering = ["pk"]
        verbose_name = _("plan item")

    def __str__(self) -> str:
        return f"{self.code} × {self.quantity}"


# --- insurance ------------------------------------------------------------------------------


class InsuranceKind(models.TextChoices):
    ACCIDENT = "accident", _("Accident insurance for supported elderly")
    LIABILITY = "liability", _("Liability insurance for care institutions")


class InsurancePolicy(models.Model):
    kind = models.CharField(_("type"), max_length=10, choices=InsuranceKind.choices)
    insurer = models.CharField(_("insurer"), max_length=100)
    number = models.CharField(_("policy number"), max_length=40, unique=True)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    premium = MoneyField(_("yearly premium per person / bed (yuan)"))
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("area covered"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "number"]
        verbose_name = _("insurance policy")
        verbose_name_plural = _("insurance policies")

    def __str__(self) -> str:
        return self.number


class Cover(models.Model):
    """One insured person (accident) or institution (liability) on a policy, with the
    dates the cover was added and removed (changes during the year)."""

    policy = models.ForeignKey(InsurancePolicy, on_delete=models.PROTECT, related_name="covers")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("person"))
    institution = models.ForeignKey(Institution, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("care institution"))
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    units = models.PositiveIntegerField(_("persons / beds"), default=1)
    added_on = models.DateField(_("covered from"))
    removed_on = models.DateField(_("covered until"), null=True, blank=True)
    premium = MoneyField(_("premium (yuan)"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["policy_id", "pk"]
        verbose_name = _("insurance cover")
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(institution__isnull=False),
                name="eldercare_cover_names_someone"),
        ]

    def __str__(self) -> str:
        return f"{self.policy_id} {self.person_id or self.institution_id}"
