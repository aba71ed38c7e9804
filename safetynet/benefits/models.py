"""Enrolments for life: who is paid what by which programme from which month, and why.

An ``Enrollment`` is one programme for one beneficiary (a household for dibao, a person
otherwise): its monthly amount in force, the months it is paid (``start_month`` to
``end_month``, both first days of months, inclusive; open-ended while ``end_month`` is
empty), the review schedule, and its history (``EnrollmentEvent``: every action with who,
when, why and the amount from which month). ``Suspension`` rows are the months withheld;
``Review`` rows the reviews done. The payroll (safetynet.payments) reads only dates,
amounts and suspensions, never the status, so an action dated in the past or the future
pays exactly the months it says.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from safetynet.core.money import MoneyField
from safetynet.registry.models import Household, Person


class Program(models.TextChoices):
    DIBAO = "dibao", _("Minimum living allowance (dibao)")
    TEKUN_BASIC = "tekun_basic", _("Extreme-poverty support: basic living")
    TEKUN_CARE = "tekun_care", _("Extreme-poverty support: care")
    DISABILITY_LIVING = "disability_living", _(
        "Living allowance for people with disabilities in need")
    DISABILITY_NURSING = "disability_nursing", _(
        "Nursing allowance for severely disabled people")
    ORPHAN_ALLOWANCE = "orphan_allowance", _("Orphan basic living allowance")
    ELDERLY_ALLOWANCE = "elderly_allowance", _("Old-age allowance")
    TEMPORARY = "temporary", _("Temporary assistance")


HOUSEHOLD_PROGRAMS = frozenset({Program.DIBAO})
QUARTERLY_PROGRAMS = frozenset({Program.ELDERLY_ALLOWANCE})
ONE_OFF_PROGRAMS = frozenset({Program.TEMPORARY})


class Status(models.TextChoices):
    ACTIVE = "active", _("In payment")
    SUSPENDED = "suspended", _("Suspended")
    EXITING = "exiting", _("Gradual exit")
    ENDED = "ended", _("Ended")


LIVE_STATUSES = (Status.ACTIVE, Status.SUSPENDED, Status.EXITING)


class EndReason(models.TextChoices):
    DEATH = "death", _("Death")
    MOVED = "moved", _("Moved away")
    INCOME = "income", _("Income rose")
    NOT_ELIGIBLE = "not_eligible", _("No longer eligible")
    REQUEST = "request", _("At the beneficiary's request")
    ONE_OFF = "one_off", _("One-off grant")
    OTHER = "other", _("Other")


def beneficiary_key(household_id: int, person_id: int | None) -> str:
    """The payee as one non-null value (unique indexes treat NULLs as distinct)."""
    return f"p{person_id}" if person_id else f"h{household_id}"


class Enrollment(models.Model):
    program = models.CharField(_("programme"), max_length=24, choices=Program.choices)
    household = models.ForeignKey(Household, on_delete=models.PROTECT,
                                  related_name="enrollments", verbose_name=_("household"))
    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="enrollments", verbose_name=_("person"))
    beneficiary = models.CharField(max_length=24, editable=False)
    application_id = models.PositiveIntegerField(_("application"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.ACTIVE)
    approved_on = models.DateField(_("approved on"))
    start_month = models.DateField(_("first month paid"))
    end_month = models.DateField(_("last month paid"), null=True, blank=True)
    monthly_amount = MoneyField(_("monthly amount"))
    amount_from = models.DateField(_("amount in force from"))
    persons = models.PositiveSmallIntegerField(_("persons covered"), default=1)
    explanation = models.TextField(_("explanation"), blank=True)
    review_months = models.PositiveSmallIntegerField(_("review every (months)"), default=12)
    next_review = models.DateField(_("next review due"), null=True, blank=True)
    end_reason = models.CharField(_("reason ended"), max_length=16, blank=True,
                                  choices=EndReason.choices)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_month", "-pk"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(fields=["program", "beneficiary"],
                                    condition=Q(status__in=LIVE_STATUSES),
                                    name="benefits_one_live_enrolment"),
        ]
        indexes = [models.Index(fields=["program", "start_month"]),
                   models.Index(fields=["status", "next_review"])]

    def __str__(self) -> str:
        return f"{self.program} {self.beneficiary} {self.start_month:%Y-%m}"

    @property
    def live(self) -> bool:
        return self.status in LIVE_STATUSES

    @property
    def one_off(self) -> bool:
        """A one-off grant (temporary assistance): an amount paid once, not each month."""
        return self.program in ONE_OFF_PROGRAMS

    def paid_in(self, month: date) -> bool:
        """Whether the enrolment's dates cover ``month`` (suspensions aside)."""
        return self.start_month <= month and (self.end_month is None or month <= self.end_month)


class EventKind(models.TextChoices):
    ENROLLED = "enrolled", _("Enrolled")
    AMOUNT_CHANGED = "amount_changed", _("Amount changed")
    SUSPENDED = "suspended", _("Suspended")
    RESUMED = "resumed", _("Resumed")
    GRADUAL_EXIT = "gradual_exit", _("Gradual exit started")
    TERMINATED = "terminated", _("Terminated")
    REVIEWED = "reviewed", _("Reviewed")


class EnrollmentEvent(models.Model):
    """One action on an enrolment; events with an ``amount`` set the amount from their
    ``effective_month`` on (the payroll of an earlier month uses the amount then in force)."""

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE,
                                   related_name="events")
    kind = models.CharField(_("action"), max_length=16, choices=EventKind.choices)
    effective_month = models.DateField(_("from month"))
    amount = MoneyField(_("monthly amount"), null=True, blank=True)
    previous_amount = MoneyField(_("previous amount"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    explanation = models.TextField(_("explanation"), blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                             blank=True, related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["enrollment", "at", "pk"]
        verbose_name = _("enrolment event")
        verbose_name_plural = _("enrolment events")
        indexes = [models.Index(fields=["enrollment", "effective_month"])]

    def __str__(self) -> str:
        return f"{self.enrollment_id} {self.kind} {self.effective_month:%Y-%m}"


class Suspension(models.Model):
    """Months withheld: from ``from_month`` up to, not including, ``until_month``."""

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE,
                                   related_name="suspensions")
    from_month = models.DateField(_("suspended from"))
    until_month = models.DateField(_("resumed from"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200)

    class Meta:
        ordering = ["enrollment", "from_month"]
        verbose_name = _("suspension")
        verbose_name_plural = _("suspensions")

    def __str__(self) -> str:
        return f"{self.enrollment_id} {self.from_month:%Y-%m}–{self.until_month or ''}"


class Outcome(models.TextChoices):
    KEEP = "keep", _("Keep unchanged")
    CHANGE = "change", _("Change the amount")
    STOP = "stop", _("Stop")


class Review(models.Model):
    """A review done: the facts found, the engine's amount, the outcome."""

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE,
                                   related_name="reviews")
    due_on = models.DateField(_("due on"))
    facts = models.TextField(_("facts found"))
    outcome = models.CharField(_("outcome"), max_length=8, choices=Outcome.choices)
    previous_amount = MoneyField(_("previous amount"))
    new_amount = MoneyField(_("amount from the rules"))
    effective_month = models.DateField(_("from month"))
    explanation = models.TextField(_("explanation"), blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                null=True, blank=True, related_name="+",
                                verbose_name=_("reviewed by"))
    done_at = models.DateTimeField(_("reviewed at"), auto_now_add=True)

    class Meta:
        ordering = ["-done_at", "-pk"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")

    def __str__(self) -> str:
        return f"{self.enrollment_id} {self.due_on} {self.outcome}"
