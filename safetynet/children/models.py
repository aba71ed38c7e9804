"""Child protection: the child registry (facts, derived categories, risk), parents and
guardians, delegated-guardianship confirmations, child directors' visits, orphan support
records, notices to directors, and 12345 minors' hotline cases.

Children are persons of the registry; these models hold the child-protection facts.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from safetynet.accounts.roles import Department
from safetynet.core.fields import EncryptedCharField
from safetynet.core.models import Area
from safetynet.core.money import MoneyField
from safetynet.registry.models import Person


class Category(models.TextChoices):
    LEFT_BEHIND = "left_behind", _("Rural left-behind child")
    ORPHAN = "orphan", _("Scattered orphan")
    NO_DE_FACTO_CARER = "no_carer", _("Child without a de facto carer")
    POVERTY = "poverty", _("Child in difficulty: poverty")
    DISABILITY = "disability", _("Child in difficulty: own disability")
    GUARDIANSHIP = "guardianship", _("Child in difficulty: lack of or improper guardianship")


class ParentStatus(models.TextChoices):
    """Where a parent is and whether they can act as guardian."""

    AT_HOME = "at_home", _("At home, able to care")
    MIGRANT = "migrant", _("Migrant worker (away)")
    DECEASED = "deceased", _("Deceased")
    MISSING = "missing", _("Missing / declared missing")
    IMPRISONED = "imprisoned", _("In prison (6 months or more)")
    REHABILITATION = "rehab", _("In compulsory drug rehabilitation")
    DISABLED = "disabled", _("Severely disabled (grade 1–2)")
    ILL = "ill", _("Seriously ill")
    LOST_CONTACT = "lost_contact", _("Lost contact (6 months or more)")
    DEPRIVED = "deprived", _("Deprived of guardianship")
    DEPORTED = "deported", _("Deported")
    UNKNOWN = "unknown", _("Unknown")


class Risk(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class ChildProfile(models.Model):
    """One registered child: the facts their categories are derived from, and follow-up."""

    person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="child_profile",
                                  verbose_name=_("child"))
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("village / community"))
    father_status = models.CharField(_("father"), max_length=12, choices=ParentStatus.choices,
                                     default=ParentStatus.AT_HOME)
    mother_status = models.CharField(_("mother"), max_length=12, choices=ParentStatus.choices,
                                     default=ParentStatus.AT_HOME)
    father_name = models.CharField(_("father's name"), max_length=40, blank=True)
    mother_name = models.CharField(_("mother's name"), max_length=40, blank=True)
    father_phone = EncryptedCharField(_("father's phone"), plain_max_length=20, blank=True)
    mother_phone = EncryptedCharField(_("mother's phone"), plain_max_length=20, blank=True)
    father_whereabouts = models.CharField(_("father's place of work or stay"), max_length=100,
                                          blank=True)
    mother_whereabouts = models.CharField(_("mother's place of work or stay"), max_length=100,
                                          blank=True)
    carer_name = models.CharField(_("actual carer"), max_length=40, blank=True)
    carer_relation = models.CharField(_("carer's relation to the child"), max_length=20,
                                      blank=True)
    carer_phone = EncryptedCharField(_("carer's phone"), plain_max_length=20, blank=True)
    poverty = models.BooleanField(_("household in poverty (dibao, tekun or low income)"),
                                  default=False)
    improper_guardianship = models.BooleanField(
        _("improper guardianship (neglect, abuse, unable carer)"), default=False)
    school = models.CharField(_("school and class"), max_length=80, blank=True)
    health = models.CharField(_("health"), max_length=200, blank=True)
    risk = models.CharField(_("risk level"), max_length=6, choices=Risk.choices,
                            default=Risk.LOW)
    risk_reasons = models.TextField(_("reasons for the risk level"), blank=True)
    insured = models.BooleanField(_("covered by care insurance"), default=False)
    insurance_note = models.CharField(_("care insurance policy"), max_length=80, blank=True)
    # Category codes as ",left_behind,poverty," so that lists filter with one LIKE on
    # SQLite and PostgreSQL alike.
    categories = models.CharField(_("categories"), max_length=120, blank=True, db_index=True)
    reviewed_categories = models.CharField(_("categories confirmed by the child director"),
                                           max_length=120, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", null=True, blank=True)
    reviewed_on = models.DateField(_("categories reviewed on"), null=True, blank=True)
    next_visit_due = models.DateField(_("next visit due"), null=True, blank=True,
                                      db_index=True)
    last_visit_on = models.DateField(_("last visit"), null=True, blank=True)
    guardianship_signed_on = models.DateField(_("guardianship confirmed on"), null=True,
                                              blank=True)
    active = models.BooleanField(_("followed"), default=True)
    registered_on = models.DateField(_("registered on"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("registered child")
        verbose_name_plural = _("registered children")
        ordering = ["area", "person__name"]
        indexes = [models.Index(fields=["area", "active", "next_visit_due"])]

    def __str__(self) -> str:
        return self.person.name

    @property
    def category_list(self) -> list[str]:
        return split_codes(self.categories)

    @property
    def category_labels(self) -> list[str]:
        return [str(Category(c).label) for c in self.category_list if c in Category.values]

    @property
    def needs_review(self) -> bool:
        return self.categories != self.reviewed_categories


def join_codes(codes: list[str]) -> str:
    return f",{','.join(codes)}," if codes else ""


def split_codes(text: str) -> list[str]:
    return [c for c in text.split(",") if c]


def scan_path(instance: GuardianshipConfirmation, filename: str) -> str:
    """Stored under a random name: nothing the uploader chose reaches the file system."""
    return f"children/{instance.child_id}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class GuardianshipConfirmation(models.Model):
    """A signed 委托监护责任确认书: the parents delegate the daily care of the child."""

    child = models.ForeignKey(ChildProfile, on_delete=models.PROTECT,
                              related_name="confirmations")
    signed_on = models.DateField(_("signed on"))
    signed_by = models.CharField(_("signed by (parent or legal guardian)"), max_length=40)
    signer_relation = models.CharField(_("signer's relation to the child"), max_length=20)
    guardian_name = models.CharField(_("delegated guardian"), max_length=40)
    guardian_relation = models.CharField(_("delegated guardian's relation to the child"),
                                         max_length=20)
    guardian_phone = EncryptedCharField(_("delegated guardian's phone"), plain_max_length=20,
                                        blank=True)
    scan = models.FileField(_("scanned signed form"), upload_to=scan_path, max_length=200,
                            blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("delegated-guardianship confirmation")
        ordering = ["-signed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.child_id} {self.signed_on}"


class Visit(models.Model):
    child = models.ForeignKey(ChildProfile, on_delete=models.PROTECT, related_name="visits")
    visited_on = models.DateField(_("visit date"))
    present = models.CharField(_("who was present"), max_length=120)
    findings = models.TextField(_("findings"))
    needs = models.TextField(_("needs"), blank=True)
    follow_up = models.TextField(_("follow-up"), blank=True)
    referral_number = models.CharField(_("referral or application opened"), max_length=24,
                                       blank=True)
    visitor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("visit")
        ordering = ["-visited_on", "-id"]

    def __str__(self) -> str:
        return f"{self.child_id} {self.visited_on}"


class SupportKind(models.TextChoices):
    EDUCATION_AID = "education_aid", _("Education aid grant")
    HEALTH_CHECK = "health_check", _("Yearly health check")


class SupportRecord(models.Model):
    """Orphan support beside the monthly allowance (which the payroll pays)."""

    child = models.ForeignKey(ChildProfile, on_delete=models.PROTECT, related_name="support")
    kind = models.CharField(_("support"), max_length=14, choices=SupportKind.choices)
    on = models.DateField(_("date"))
    amount = MoneyField(_("amount (yuan)"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        verbose_name = _("orphan support record")
        ordering = ["-on", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.on}"


class Notice(models.Model):
    """Something the child director must know, e.g. a child left the left-behind list."""

    child = models.ForeignKey(ChildProfile, on_delete=models.CASCADE, related_name="notices")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20)
    message = models.CharField(_("notice"), max_length=200)
    created_on = models.DateField()
    read_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                related_name="+", null=True, blank=True)

    class Meta:
        ordering = ["-created_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["child", "kind", "created_on"],
                                               name="children_notice_once")]

    def __str__(self) -> str:
        return self.message


class CaseKind(models.TextChoices):
    ADVICE = "advice", _("Advice (answered at once)")
    COMPLAINT = "complaint", _("Complaint (work order to a department)")
    EMERGENCY = "emergency", _("Emergency (hand over to 110 / 120)")
    HARDSHIP = "hardship", _("Hardship (to civil affairs)")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")
    EMERGENCY = "emergency", _("Emergency")


class CaseState(models.TextChoices):
    OPEN = "open", _("Open, with the responsible person")
    REFERRED = "referred", _("Work order with a department")
    HANDED_OVER = "handed_over", _("Handed over to 110 / 120")
    CLOSED = "closed", _("Closed")


OPEN_CASE_STATES = frozenset({CaseState.OPEN, CaseState.REFERRED, CaseState.HANDED_OVER})


class Service(models.TextChoices):
    POLICE = "110", _("110 police")
    AMBULANCE = "120", _("120 ambulance")


class HotlineCase(models.Model):
    """A minor's case received by the 12345 hotline, followed until closed."""

    number = models.CharField(_("case number"), max_length=24, unique=True)
    received_at = models.DateTimeField(_("received at"))
    caller_name = models.CharField(_("caller"), max_length=40, blank=True)
    caller_phone = EncryptedCharField(_("caller's phone"), plain_max_length=20, blank=True)
    child = models.ForeignKey(ChildProfile, on_delete=models.PROTECT, related_name="cases",
                              null=True, blank=True, verbose_name=_("registered child"))
    child_name = models.CharField(_("child's name"), max_length=40)
    child_age = models.PositiveSmallIntegerField(_("child's age"), null=True, blank=True)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("village / community"))
    what_happened = models.TextField(_("what happened"))
    kind = models.CharField(_("case type"), max_length=10, choices=CaseKind.choices)
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices,
                               default=Urgency.NORMAL)
    state = models.CharField(_("state"), max_length=12, choices=CaseState.choices,
                             default=CaseState.OPEN, db_index=True)
    responsible = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("responsible person"))
    department = models.CharField(_("department"), max_length=20, blank=True,
                                  choices=Department.choices)
    due_on = models.DateField(_("due"), null=True, blank=True, db_index=True)
    service = models.CharField(_("handed over to"), max_length=3, blank=True,
                               choices=Service.choices)
    handed_over_at = models.DateTimeField(_("handed over at"), null=True, blank=True)
    referral_number = models.CharField(_("referral number"), max_length=24, blank=True)
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    escalated_on = models.DateField(_("escalated on"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("hotline case")
        ordering = ["-received_at"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(what_happened=""),
                                   name="children_case_what_happened"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_CASE_STATES


# What each step of a hotline case did, in the reader's language: the state it left the
# case in (escalation and a new responsible person keep the state, so they say what changed).
CASE_STEP_LABELS = {
    "open": CaseState.OPEN.label, "refer": CaseState.REFERRED.label,
    "hand_over": CaseState.HANDED_OVER.label, "close": CaseState.CLOSED.label,
    "escalate": _("Escalated"), "assign": _("Responsible person changed"),
}


class CaseStep(models.Model):
    """One thing done on a hotline case: who, when, what, and a note."""

    case = models.ForeignKey(HotlineCase, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(_("action"), max_length=20)
    note = models.TextField(_("note"), blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return self.action

    @property
    def label(self) -> str:
        return str(CASE_STEP_LABELS.get(self.action, self.action))
