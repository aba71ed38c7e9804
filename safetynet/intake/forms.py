"""Forms of the single window: the application form that adapts to its type, and one
form per workflow action built from what the state machine says must be recorded."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from safetynet.accounts.roles import Department, Role
from safetynet.intake.models import AttachmentKind, Channel, CheckSource, Kind
from safetynet.intake.selectors import shown_name
from safetynet.intake.services.common import today
from safetynet.intake.workflow import PERSON_KINDS, TEMPORARY_KINDS, Transition
from safetynet.registry.models import Household, Person

# The channel a role usually receives applications through (the form's default).
ROLE_CHANNELS: dict[str, str] = {Role.VILLAGE: Channel.VILLAGE}
# The fields that change with the application type (the type-change refresh replaces only
# these, so what the user chose in the others is never overwritten).
TYPE_FIELDS = ("beneficiary", "months", "requested_amount", "department")


def default_channel(user: Any) -> str:
    return ROLE_CHANNELS.get(getattr(user, "role", ""), Channel.WINDOW)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several documents at once (type and size are checked by the service)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        items = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(item, initial) for item in items]


class HouseholdPickForm(forms.Form):
    household = forms.CharField(label=_("Household number"), max_length=20)


class ApplicationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Application type"), choices=Kind.choices)
    applicant = forms.ModelChoiceField(label=_("Applicant"), queryset=Person.objects.none())
    beneficiary = forms.ModelChoiceField(
        label=_("For which member"), queryset=Person.objects.none(), required=False,
        help_text=_("For personal allowances: the member who will receive it."))
    channel = forms.ChoiceField(label=_("Received through"),
                                choices=[c for c in Channel.choices if c[0] != Channel.API])
    reason = forms.CharField(label=_("What the applicant asks for and why"),
                             widget=forms.Textarea(attrs={"rows": 3}))
    months = forms.IntegerField(label=_("Months of assistance asked for"), min_value=1,
                                max_value=12, required=False)
    requested_amount = forms.DecimalField(label=_("Amount asked for (yuan)"), min_value=0,
                                          decimal_places=2, required=False)
    department = forms.ChoiceField(label=_("Department that should help"), required=False,
                                   choices=[("", "—"), *Department.choices])
    documents = MultipleFileField(label=_("Signed form and certificates (PDF, JPEG, PNG)"))

    def __init__(self, household: Household, *args: Any, user: Any = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members = household.members.filter(deceased_on__isnull=True).order_by("pk")
        on = today()
        for name in ("applicant", "beneficiary"):
            field: Any = self.fields[name]
            field.queryset = members
            # Children under 14 are masked as on the household page (registry.access).
            field.label_from_instance = lambda person: shown_name(user, person, on)
        self.fields["channel"].initial = default_channel(user)
        head = members.filter(relation="head").first() or members.first()
        self.fields["applicant"].initial = head.pk if head else None
        kind = str(self.data.get("kind") or self.initial.get("kind") or Kind.DIBAO)
        self.chosen_kind: str = kind if kind in Kind.values else Kind.DIBAO
        self._adapt(self.chosen_kind)

    def _adapt(self, kind: str) -> None:
        """Only the fields that the chosen type needs."""
        if kind not in PERSON_KINDS:
            del self.fields["beneficiary"]
        if kind not in TEMPORARY_KINDS:
            del self.fields["months"]
            del self.fields["requested_amount"]
        if kind == Kind.OTHER_NEED:
            self.fields["department"].required = True
        else:
            del self.fields["department"]

    def type_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in TYPE_FIELDS if name in self.fields]

    def common_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields
                if name not in TYPE_FIELDS and name != "kind"]

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        details = {k: data[k] for k in ("months", "department") if data.get(k)}
        return {"kind": data["kind"], "applicant": data["applicant"],
                "beneficiary": data.get("beneficiary"), "reason": data["reason"],
                "channel": data["channel"], "details": details,
                "requested_amount": data.get("requested_amount"),
                "files": data.get("documents") or []}


def _date_field(label: Any) -> forms.DateField:
    # A date input takes ISO dates only, whatever the language's date format.
    return forms.DateField(label=label, widget=forms.DateInput(attrs={"type": "date"},
                                                               format="%Y-%m-%d"))


def _text(label: Any, rows: int = 3) -> forms.CharField:
    return forms.CharField(label=label, widget=forms.Textarea(attrs={"rows": rows}))


def _record_fields() -> dict[str, forms.Field]:
    """Every value an action may record, by name (workflow.Transition.records)."""
    return {
        "reason": _text(_("Reasons (in writing)")),
        "sources": forms.MultipleChoiceField(label=_("Records checked"),
                                             choices=CheckSource.choices,
                                             widget=forms.CheckboxSelectMultiple),
        "check_findings": _text(_("What the check found")),
        "visited_on": _date_field(_("Date of the visit")),
        "investigator_1": forms.CharField(label=_("First investigator"), max_length=40),
        "investigator_2": forms.CharField(label=_("Second investigator"), max_length=40),
        "findings": _text(_("Findings of the visit"), 4),
        "opinion": _text(_("Written opinion of the township"), 4),
        "recommendation": forms.ChoiceField(label=_("Recommendation"), choices=[
            ("approve", _("Approve")), ("refuse", _("Refuse"))]),
        "notice_start": _date_field(_("Notice posted on")),
        "backdate_reason": _text(_("Why the posting is recorded late (for a date before "
                                   "today)"), 2),
        "received_on": _date_field(_("Objection received on")),
        "content": _text(_("The objection")),
        "appraisal": _text(_("Democratic appraisal: who took part and what they found"), 4),
        "outcome": _text(_("How the objections were handled")),
        "amount": forms.DecimalField(label=_("Amount (yuan)"), min_value=0, decimal_places=2),
        "department": forms.ChoiceField(label=_("Department"), choices=Department.choices),
        "subject": forms.CharField(label=_("Subject"), max_length=120),
        "description": _text(_("What is needed")),
        "informed_on": _date_field(_("Applicant told on")),
    }


# Values an action may record besides those it must (Transition.records).
OPTIONAL: dict[str, tuple[str, ...]] = {
    "visit": ("both_signed", "photos"), "complete": ("both_signed", "photos"),
    "review": ("amount",), "object": ("objector",), "approve": ("amount",),
    "post_notice": ("backdate_reason",),
}


def action_form(transition: Transition, *args: Any, **kwargs: Any) -> forms.Form:
    """A form with exactly the fields the transition records (required) plus its options."""
    available = _record_fields()
    available["both_signed"] = forms.BooleanField(
        label=_("Both sides signed the visit record"), required=False)
    available["photos"] = MultipleFileField(label=_("Photos (JPEG, PNG) or scans (PDF)"))
    available["objector"] = forms.CharField(label=_("Raised by (may stay anonymous)"),
                                            max_length=60, required=False)
    fields: dict[str, forms.Field] = {}
    for name in transition.records:
        fields[name] = available[name]
    for name in OPTIONAL.get(transition.action, ()):
        field = available[name]
        field.required = False
        fields[name] = field
    form_class = type("ActionForm", (forms.Form,), fields)
    return form_class(*args, **kwargs)  # type: ignore[no-any-return]


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Document type"), choices=AttachmentKind.choices)
    documents = MultipleFileField(label=_("Files (PDF, JPEG, PNG)"))


class ReferralForm(forms.Form):
    department = forms.ChoiceField(label=_("Department"), choices=Department.choices)
    subject = forms.CharField(label=_("Subject"), max_length=120)
    description = _text(_("What is needed"))


class AnswerForm(forms.Form):
    answer = _text(_("Answer of the department"), 4)


class ReturnForm(forms.Form):
    reason = _text(_("Why it is returned"))


class InformForm(forms.Form):
    informed_on = _date_field(_("Applicant told on"))
