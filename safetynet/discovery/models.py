"""Active discovery: other departments' files and their rows, early warnings, screening
campaigns with their visit lists, and the monitored low-income population."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from safetynet.core.models import Area
from safetynet.core.money import MoneyField
from safetynet.discovery.sources import SourceKind
from safetynet.registry.models import Household, Person


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to start")
    RUNNING = "running", _("Matching")
    DONE = "done", _("Done")
    REJECTED = "rejected", _("Rejected: errors found, nothing imported")
    FAILED = "failed", _("Failed")


class SourceImport(models.Model):
    """One file of one department: who imported it, what it added, what did not match."""

    source = models.CharField(_("source"), max_length=12, choices=SourceKind.choices)
    file = models.FileField(_("file"), upload_to="discovery/%Y/%m", max_length=200)
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    sha256 = models.CharField(max_length=64, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("imported by"))
    created_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ImportStatus.choices,
                              default=ImportStatus.PENDING)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    new_rows = models.PositiveIntegerField(_("new rows"), default=0)
    repeated_rows = models.PositiveIntegerField(_("rows imported before"), default=0)
    matched_rows = models.PositiveIntegerField(_("rows matched"), default=0)
    unmatched_rows = models.PositiveIntegerField(_("rows not matched"), default=0)
    warnings_raised = models.PositiveIntegerField(_("warnings raised"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    unmatched = models.JSONField(_("unmatched rows"), default=list, blank=True)
    message = models.TextField(_("message"), blank=True)
    timings = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("department data import")

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.original_name}"

    @property
    def finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.REJECTED, ImportStatus.FAILED)


class ExternalRecord(models.Model):
    """One row of a department's file, kept once (``row_key``) whatever file brought it."""

    source = models.CharField(_("source"), max_length=12, choices=SourceKind.choices)
    row_key = models.CharField(max_length=64, unique=True)
    source_import = models.ForeignKey(SourceImport, on_delete=models.PROTECT,
                                      related_name="records")
    row_number = models.PositiveIntegerField(_("row"))
    id_number_index = models.CharField(max_length=32, db_index=True)
    name = models.CharField(_("name"), max_length=40, blank=True)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+", verbose_name=_("person"))
    household = models.ForeignKey(Household, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="+")
    event_on = models.DateField(_("date"))
    amount = MoneyField(_("amount (yuan)"), null=True, blank=True)
    grade = models.PositiveSmallIntegerField(_("grade"), null=True, blank=True)
    code = models.CharField(_("coded value"), max_length=20, blank=True)
    data = models.JSONField(_("row as read"), default=dict)

    class Meta:
        verbose_name = _("department data row")
        indexes = [models.Index(fields=["source", "household", "event_on"])]

    def __str__(self) -> str:
        return f"{self.source} {self.row_number}"


class Severity(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class WarningStatus(models.TextChoices):
    OPEN = "open", _("To verify")
    DONE = "done", _("Verified")
    SUPPRESSED = "suppressed", _("Suppressed: already covered")


class Outcome(models.TextChoices):
    APPLICATION = "application", _("Application opened")
    REFERRAL = "referral", _("Referred to a department")
    NO_NEED = "no_need", _("No need")


class EarlyWarning(models.Model):
    """An early warning about one person's household, to be verified by the village."""

    rule = models.CharField(_("rule"), max_length=24, db_index=True)
    source = models.CharField(_("source"), max_length=12, blank=True)
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices)
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("household"))
    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+", verbose_name=_("person"))
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("village / community"))
    facts = models.JSONField(_("facts behind the warning"), default=dict)
    evidence = models.ManyToManyField(ExternalRecord, blank=True, related_name="warnings",
                                      verbose_name=_("evidence rows"))
    status = models.CharField(_("status"), max_length=10, choices=WarningStatus.choices,
                              default=WarningStatus.OPEN, db_index=True)
    # Set while open: the database refuses a second open warning of a rule for a person.
    open_key = models.CharField(max_length=60, null=True, blank=True, unique=True)
    signals = models.PositiveIntegerField(_("signals merged"), default=1)
    raised_on = models.DateField(_("raised on"))
    last_signal_on = models.DateField(_("last signal on"))
    due_on = models.DateField(_("verify by"), db_index=True)
    escalation = models.PositiveSmallIntegerField(_("escalated to"), default=0)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices,
                               blank=True)
    outcome_note = models.TextField(_("findings and reasons"), blank=True)
    closed_on = models.DateField(_("verified on"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  null=True, blank=True, related_name="+")
    application_id = models.BigIntegerField(_("application"), null=True, blank=True)
    referral_id = models.BigIntegerField(_("referral"), null=True, blank=True)
    suppressed_because = models.CharField(_("suppressed because"), max_length=200,
                                          blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("early warning")
        indexes = [models.Index(fields=["area", "status", "due_on"])]

    def __str__(self) -> str:
        return f"{self.rule} {self.household_id}"

    @property
    def is_open(self) -> bool:
        return self.status == WarningStatus.OPEN


class Campaign(models.Model):
    """A screening campaign: who is to be visited in every village of an area."""

    name = models.CharField(_("name"), max_length=100)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("area"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    categories = models.JSONField(_("groups to visit"), default=list)
    targets = models.PositiveIntegerField(_("people to visit"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("screening campaign")
        constraints = [models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")),
                                              name="discovery_campaign_period")]

    def __str__(self) -> str:
        return self.name


class VisitStatus(models.TextChoices):
    PENDING = "pending", _("To visit")
    FOUND = "found", _("Visited, found")
    NOT_FOUND = "not_found", _("Visited, not found")


class Visit(models.Model):
    """One person on a campaign's list, and what the visit found."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="visits")
    category = models.CharField(_("group"), max_length=24)
    covered = models.BooleanField(_("covered group"))
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("person"))
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("village / community"))
    status = models.CharField(_("status"), max_length=10, choices=VisitStatus.choices,
                              default=VisitStatus.PENDING)
    added_in_visit = models.BooleanField(_("found during the visits"), default=False)
    visited_on = models.DateField(_("visited on"), null=True, blank=True)
    visited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    situation = models.TextField(_("situation"), blank=True)
    needs = models.TextField(_("needs"), blank=True)
    needs_help = models.BooleanField(_("needs help"), default=False)
    application_id = models.BigIntegerField(_("application"), null=True, blank=True)
    referral_id = models.BigIntegerField(_("referral"), null=True, blank=True)

    class Meta:
        ordering = ["area", "household", "pk"]
        verbose_name = _("screening visit")
        constraints = [models.UniqueConstraint(fields=["campaign", "person", "category"],
                                               name="discovery_visit_once")]
        indexes = [models.Index(fields=["campaign", "area", "status"])]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.person_id} {self.category}"


class MonitoringRun(models.Model):
    """One recomputation of the monitored list: when, why, and what changed."""

    on = models.DateField(_("as of"))
    trigger = models.CharField(_("trigger"), max_length=60, blank=True)
    entered = models.PositiveIntegerField(_("entered"), default=0)
    exited = models.PositiveIntegerField(_("exited"), default=0)
    total = models.PositiveIntegerField(_("monitored"), default=0)
    by_category = models.JSONField(default=dict)
    seconds = models.FloatField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("monitoring run")

    def __str__(self) -> str:
        return f"{self.on} +{self.entered} -{self.exited}"


class MonitorCategory(models.TextChoices):
    DIBAO = "dibao", _("Dibao household")
    TEKUN = "tekun", _("Extreme-poverty support")
    LOW_INCOME = "low_income", _("Low-income household (near dibao)")
    RIGID = "rigid_expenditure", _("Rigid-expenditure hardship household")
    AT_RISK = "at_risk", _("At risk of falling back")


class MonitorEntry(models.Model):
    """A household in one monitored category from ``entered_on`` until ``exited_on``."""

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("household"))
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    category = models.CharField(_("category"), max_length=20,
                                choices=MonitorCategory.choices)
    entered_on = models.DateField(_("entered on"))
    exited_on = models.DateField(_("exited on"), null=True, blank=True)
    entered_run = models.ForeignKey(MonitoringRun, on_delete=models.PROTECT,
                                    related_name="+")
    exited_run = models.ForeignKey(MonitoringRun, on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="+")
    per_capita_income = MoneyField(_("per-capita income (yuan / month)"), null=True,
                                   blank=True)

    class Meta:
        ordering = ["-entered_on", "pk"]
        verbose_name = _("monitored household")
        constraints = [models.UniqueConstraint(
            fields=["household", "category"], condition=Q(exited_on__isnull=True),
            name="discovery_monitor_once")]
        indexes = [models.Index(fields=["category", "exited_on"])]

    def __str__(self) -> str:
        return f"{self.household_id} {self.category}"
