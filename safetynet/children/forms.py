"""Forms of child protection; short, with phone-friendly inputs (dates, tel, big text)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from safetynet.accounts.roles import Department
from safetynet.children.models import (
    CaseKind,
    ChildProfile,
    Service,
    SupportKind,
    Urgency,
)
from safetynet.children.services.registry import FACT_FIELDS
from safetynet.intake.models import Kind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEL = forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "off"})
TEXT = forms.Textarea(attrs={"rows": 3})
DEPARTMENTS = [("", "—"), *[(v, label) for v, label in Department.choices
                            if v != Department.HOTLINE]]


class ChildForm(forms.ModelForm):
    class Meta:
        model = ChildProfile
        fields = list(FACT_FIELDS)
        widgets = {"father_phone": TEL, "mother_phone": TEL, "carer_phone": TEL,
                   "risk_reasons": TEXT}


class HouseholdPickForm(forms.Form):
    household = forms.CharField(label=_("Household number"), max_length=20)


class VisitForm(forms.Form):
    visited_on = forms.DateField(label=_("Visit date"), widget=DATE)
    present = forms.CharField(label=_("Who was present"), max_length=120)
    findings = forms.CharField(label=_("Findings"), widget=TEXT)
    needs = forms.CharField(label=_("Needs"), widget=TEXT, required=False)
    follow_up = forms.CharField(label=_("Follow-up"), widget=TEXT, required=False)
    open = forms.ChoiceField(
        label=_("Pass the need to the single window"), required=False,
        choices=[("", _("No")), ("referral", _("Referral to a department")),
                 *[(k, _("Application: %(k)s") % {"k": label}) for k, label in Kind.choices
                   if k in (Kind.ORPHAN, Kind.TEMPORARY_EMERGENCY, Kind.TEMPORARY_EXPENDITURE,
                            Kind.DIBAO, Kind.OTHER_NEED)]])
    department = forms.ChoiceField(label=_("Department (for a referral)"), required=False,
                                   choices=DEPARTMENTS)


class ConfirmationForm(forms.Form):
    signed_on = forms.DateField(label=_("Signed on"), widget=DATE)
    signed_by = forms.CharField(label=_("Signed by (parent or legal guardian)"), max_length=40)
    signer_relation = forms.CharField(label=_("Signer's relation to the child"), max_length=20)
    guardian_name = forms.CharField(label=_("Delegated guardian"), max_length=40)
    guardian_relation = forms.CharField(label=_("Delegated guardian's relation to the child"),
                                        max_length=20)
    guardian_phone = forms.CharField(label=_("Delegated guardian's phone"), max_length=20,
                                     required=False, widget=TEL)
    scan = forms.FileField(label=_("Scanned signed form (PDF, JPEG, PNG)"), required=False,
                           widget=forms.ClearableFileInput(
                               attrs={"accept": ".pdf,.jpg,.jpeg,.png,image/*",
                                      "capture": "environment"}))


class SupportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Support"), choices=SupportKind.choices)
    on = forms.DateField(label=_("Date"), widget=DATE)
    amount = forms.DecimalField(label=_("Amount (yuan)"), min_value=0, decimal_places=2)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class ExportForm(forms.Form):
    what = forms.ChoiceField(label=_("List"), choices=[
        ("children", _("Registered children")),
        ("missing", _("Children without a signed guardianship confirmation")),
        ("insurance", _("Care insurance roster of left-behind children"))])
    reason = forms.CharField(label=_("Why you export children's data"), max_length=200,
                             help_text=_("Recorded in the audit log."))


class CaseForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type of case"), choices=CaseKind.choices)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices)
    caller_name = forms.CharField(label=_("Caller"), max_length=40, required=False)
    caller_phone = forms.CharField(label=_("Caller's phone"), max_length=20, required=False,
                                   widget=TEL)
    child_name = forms.CharField(label=_("Child's name"), max_length=40)
    child_age = forms.IntegerField(label=_("Child's age"), min_value=0, max_value=17,
                                   required=False)
    area_code = forms.ChoiceField(label=_("Village / community"))
    what_happened = forms.CharField(label=_("What happened"), widget=TEXT)
    department = forms.ChoiceField(label=_("Department (complaint: work order)"),
                                   required=False, choices=DEPARTMENTS)
    service = forms.ChoiceField(label=_("Handed over to (emergency)"), required=False,
                                choices=[("", "—"), *Service.choices])
    handed_over_at = forms.DateTimeField(
        label=_("Time of the hand-over"), required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    outcome = forms.CharField(label=_("Advice given (advice: closes the case)"),
                              widget=TEXT, required=False)

    def __init__(self, villages: list[tuple[str, str]], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area_code"].choices = [("", "—"), *villages]  # type: ignore[attr-defined]


class ReferForm(forms.Form):
    department = forms.ChoiceField(label=_("Department"), choices=DEPARTMENTS)
    note = forms.CharField(label=_("What the department should do"), widget=TEXT,
                           required=False)


class HandOverForm(forms.Form):
    service = forms.ChoiceField(label=_("Handed over to"), choices=Service.choices)
    handed_over_at = forms.DateTimeField(
        label=_("Time of the hand-over"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])


class EscalateForm(forms.Form):
    note = forms.CharField(label=_("Why escalate"), max_length=200)


class CloseForm(forms.Form):
    outcome = forms.CharField(label=_("Outcome"), widget=TEXT)
