"""Applications at the single window, the steps they went through, their files and
objections, and referrals to partner departments."""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from safetynet.accounts.roles import Department
from safetynet.core.models import Area
from safetynet.core.money import MoneyField
from safetynet.registry.models import Household, Person


class Kind(models.TextChoices):
    DIBAO = "dibao", _("Minimum living allowance (dibao)")
    TEKUN = "tekun", _("Extreme-poverty support")
    TEMPORARY_EMERGENCY = "temp_emergency", _("Temporary assistance (emergency)")
    TEMPORARY_EXPENDITURE = "temp_expenditure", _("Temporary assistance (expenditure)")
    DISABILITY_LIVING = "disability_living", _("Living allowance for people with disabilities")
    DISABILITY_NURSING = "disability_nursing", _("Nursing allowance for people with "
                                                 "severe disabilities")
    ORPHAN = "orphan", _("Orphan / child without a de facto carer allowance")
    ELDERLY_ALLOWANCE = "elderly_allowance", _("Old-age allowance")
    HOME_CARE = "home_care", _("Home-care service")
    MODIFICATION = "modification", _("Age-friendly home modification")
    CHILD_REGISTRATION = "child_registration", _("Child registration")
    OTHER_NEED = "other_need", _("Other need (to refer)")


class State(models.TextChoices):
    RECEIVED = "received", _("Registered, awaiting acceptance")
    ACCEPTED = "accepted", _("Accepted, information check")
    CHECKED = "checked", _("Checked, home visit")
    VISITED = "visited", _("Visited, township review")
    REVIEWED = "reviewed", _("Township opinion written")
    NOTICE = "notice", _("On public notice")
    APPRAISAL = "appraisal", _("Democratic appraisal")
    COUNTY = "county", _("Awaiting county approval")
    GRANTED = "granted", _("Granted at once, paperwork to complete")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    REFERRED = "referred", _("Referred to a partner department")


OPEN_STATES = frozenset({State.RECEIVED, State.ACCEPTED, State.CHECKED, State.VISITED,
                         State.REVIEWED, State.NOTICE, State.APPRAISAL, State.COUNTY,
                         State.GRANTED})


class CheckSource(models.TextChoices):
    """Records every dibao / tekun case is matched against (information check)."""

    HUKOU = "hukou", _("Household registration")
    TAX = "tax", _("Tax")
    SOCIAL_INSURANCE = "social_insurance", _("Social insurance")
    PROPERTY = "property", _("Real estate")
    VEHICLES = "vehicles", _("Vehicles")
    BANK = "bank", _("Bank deposits")
    BUSINESS = "business", _("Business registration")


class Channel(models.TextChoices):
    WINDOW = "window", _("Township window")
    VILLAGE = "village", _("Village worker (phone)")
    API = "api", _("Other system (API)")


class Application(models.Model):
    number = models.CharField(_("application number"), max_length=24, unique=True)
    kind = models.CharField(_("application type"), max_length=20, choices=Kind.choices)
    household = models.ForeignKey(Household, on_delete=models.PROTECT,
                                  related_name="applications", verbose_name=_("household"))
    applicant = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("applicant"))
    beneficiary = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+",
                                    null=True, blank=True, verbose_name=_("beneficiary"))
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("area"))
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices,
                               default=Channel.WINDOW)
    state = models.CharField(_("state"), max_length=10, choices=State.choices,
                             default=State.RECEIVED, db_index=True)
    # Set while the application is open, so that the database itself refuses a second
    # open application of the same programme for the same household (and beneficiary).
    open_key = models.CharField(max_length=60, null=True, blank=True, unique=True)
    reason = models.TextField(_("what the applicant asks and why"))
    details = models.JSONField(_("type-specific details"), default=dict, blank=True)
    requested_amount = MoneyField(_("amount requested (yuan)"), null=True, blank=True)
    amount = MoneyField(_("amount decided (yuan)"), null=True, blank=True)
    decision_reason = models.TextField(_("reasons for the decision"), blank=True)
    due_on = models.DateField(_("current step due"), null=True, blank=True, db_index=True)
    overall_due_on = models.DateField(_("whole procedure due"), null=True, blank=True)
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    notice_start = models.DateField(_("notice posted on"), null=True, blank=True)
    notice_end = models.DateField(_("notice ends on"), null=True, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    resident_informed_on = models.DateField(_("applicant told on"), null=True, blank=True)
    extended = models.BooleanField(_("time limit extended"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", null=True, blank=True)
    idempotency_key = models.CharField(max_length=80, null=True, blank=True, unique=True)
    enrollment_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["area", "state", "due_on"])]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


class Step(models.Model):
    """One transition: who did what, when, from which state to which, and what they
    recorded (findings, opinion, investigators…)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE,
                                    related_name="steps")
    action = models.CharField(_("action"), max_length=20)
    from_state = models.CharField(max_length=10, choices=State.choices)
    to_state = models.CharField(max_length=10, choices=State.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(default=dict, blank=True)
    was_due_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.action} {self.from_state}→{self.to_state}"


def upload_path(instance: Attachment, filename: str) -> str:
    """Stored under a random name: nothing the uploader chose reaches the file system."""
    suffix = Path(filename).suffix.lower()
    return f"intake/{instance.application_id}/{uuid.uuid4().hex}{suffix}"


class AttachmentKind(models.TextChoices):
    SIGNED_FORM = "signed_form", _("Signed application form")
    CERTIFICATE = "certificate", _("Certificate")
    VISIT_PHOTO = "visit_photo", _("Home-visit photo")
    OTHER = "other", _("Other document")


class Attachment(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE,
                                    related_name="attachments")
    kind = models.CharField(_("document type"), max_length=12, choices=AttachmentKind.choices)
    file = models.FileField(upload_to=upload_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=120)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class Objection(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE,
                                    related_name="objections")
    received_on = models.DateField(_("received on"))
    objector = models.CharField(_("raised by"), max_length=60, blank=True)
    content = models.TextField(_("objection"))
    handled = models.BooleanField(default=False)
    outcome = models.TextField(_("how it was handled"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        ordering = ["received_on", "id"]

    def __str__(self) -> str:
        return self.content[:40]


class ReferralState(models.TextChoices):
    SENT = "sent", _("Sent, awaiting the department")
    ACCEPTED = "accepted", _("Accepted by the department")
    ANSWERED = "answered", _("Answered")
    RETURNED = "returned", _("Returned by the department")
    CLOSED = "closed", _("Closed, applicant told")


OPEN_REFERRAL_STATES = frozenset({ReferralState.SENT, ReferralState.ACCEPTED})


class Referral(models.Model):
    """A case or need referred (转办) to a partner department, chased until answered."""

    number = models.CharField(_("referral number"), max_length=24, unique=True)
    application = models.ForeignKey(Application, on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="referrals")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("household"))
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+",
                               null=True, blank=True, verbose_name=_("person"))
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    department = models.CharField(_("department"), max_length=20, choices=Department.choices)
    subject = models.CharField(_("subject"), max_length=120)
    description = models.TextField(_("what is needed"))
    state = models.CharField(_("state"), max_length=10, choices=ReferralState.choices,
                             default=ReferralState.SENT, db_index=True)
    due_on = models.DateField(_("answer due"))
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)
    handler = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                related_name="+", null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.TextField(_("reason returned"), blank=True)
    resident_informed_on = models.DateField(_("applicant told on"), null=True, blank=True)

    class Meta:
        verbose_name = _("referral")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["department", "state", "due_on"])]
        constraints = [
            models.CheckConstraint(condition=~Q(subject=""), name="intake_referral_subject"),
        ]

    def __str__(self) -> str:
        return self.number
