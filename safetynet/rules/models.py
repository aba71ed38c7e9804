"""Reviewed parameter changes, registry evaluation runs and their results, what-if runs.

The parameters themselves are YAML files (safetynet/policy/parameters); an approved
``ParameterChange`` is laid over them from its effective date in every evaluation.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from safetynet.registry.models import Household, Person


class ChangeStatus(models.TextChoices):
    PROPOSED = "proposed", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ParameterChange(models.Model):
    """A new value of one parameter (or one key of it) for an area from a date on.

    Maker-checker: proposed by one user, approved or rejected by a different approver.
    """

    parameter = models.CharField(_("parameter"), max_length=80)
    key = models.CharField(_("entry"), max_length=20, blank=True,
                           help_text=_("empty: every entry of the parameter"))
    scope = models.CharField(_("area"), max_length=12)
    value = models.CharField(_("new value"), max_length=40)
    effective_from = models.DateField(_("effective from"))
    reason = models.TextField(_("reason"))
    reference = models.CharField(_("document or reference"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ChangeStatus.choices,
                              default=ChangeStatus.PROPOSED)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("proposed by"))
    proposed_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=200, blank=True)

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        verbose_name = _("parameter change")
        verbose_name_plural = _("parameter changes")
        indexes = [models.Index(fields=["status", "parameter"])]

    def __str__(self) -> str:
        return f"{self.full_name} = {self.value} ({self.scope}, {self.effective_from})"

    @property
    def full_name(self) -> str:
        """``parameter`` or ``parameter.key`` as the engine names it."""
        return f"{self.parameter}.{self.key}" if self.key else self.parameter

    @property
    def pending(self) -> bool:
        return self.status == ChangeStatus.PROPOSED


class JobStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to start")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


FINISHED = (JobStatus.DONE, JobStatus.FAILED)


class Engine(models.TextChoices):
    IN_PROCESS = "inprocess", _("In process")
    DASK = "dask", _("Dask cluster")


class Job(models.Model):
    """What runs and simulations share: the date, who asked, the areas, the progress."""

    on = models.DateField(_("evaluation date"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+",
                                     verbose_name=_("requested by"))
    # The requesting user's area codes at the time; empty: the whole registry.
    scope_codes = models.JSONField(_("areas"), default=list, blank=True)
    parameters_fingerprint = models.CharField(_("parameters fingerprint"), max_length=64,
                                              blank=True)
    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices,
                              default=JobStatus.PENDING)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    households = models.PositiveIntegerField(_("households evaluated"), default=0)
    persons = models.PositiveIntegerField(_("persons evaluated"), default=0)
    message = models.TextField(_("message"), blank=True)
    task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        abstract = True

    @property
    def finished(self) -> bool:
        return self.status in FINISHED


class EvaluationRun(Job):
    """One evaluation of the registry (all of it, or one user's areas) on a date."""

    engine = models.CharField(_("engine"), max_length=10, choices=Engine.choices,
                              default=Engine.IN_PROCESS)
    results = models.PositiveIntegerField(_("amounts stored"), default=0)
    paid_households = models.PositiveIntegerField(_("households with a benefit"), default=0)
    monthly_total = models.BigIntegerField(_("monthly total (yuan)"), default=0)
    by_program = models.JSONField(_("by programme"), default=dict, blank=True)
    timings = models.JSONField(_("timings (seconds)"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("evaluation run")
        verbose_name_plural = _("evaluation runs")

    def __str__(self) -> str:
        return f"{self.on} #{self.pk} ({self.get_status_display()})"


class EvaluationResult(models.Model):
    """One programme's monthly amount for a household (``person`` null) or a person, as
    evaluated on ``on``; a new run for the same date replaces the earlier rows."""

    run = models.ForeignKey(EvaluationRun, on_delete=models.CASCADE, related_name="rows")
    on = models.DateField(_("evaluation date"))
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="+",
                                  verbose_name=_("household"))
    person = models.ForeignKey(Person, on_delete=models.CASCADE, null=True, blank=True,
                               related_name="+", verbose_name=_("person"))
    program = models.CharField(_("programme"), max_length=24)
    monthly_amount = models.IntegerField(_("monthly amount (whole yuan)"))

    class Meta:
        verbose_name = _("evaluation result")
        verbose_name_plural = _("evaluation results")
        indexes = [models.Index(fields=["on", "household"]),
                   models.Index(fields=["on", "program"])]

    def __str__(self) -> str:
        return f"{self.on} {self.household_id} {self.program} {self.monthly_amount}"


class Simulation(Job):
    """A what-if run: the registry under parameter overrides against the baseline."""

    overrides = models.JSONField(_("changed parameters"), default=dict)
    summary = models.JSONField(_("outcome"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("what-if simulation")
        verbose_name_plural = _("what-if simulations")

    def __str__(self) -> str:
        return f"{self.on} {self.overrides} ({self.get_status_display()})"
