"""Forms of active discovery (validation of input only; the services decide)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from safetynet.accounts.roles import Department
from safetynet.discovery.campaigns import GROUPS
from safetynet.discovery.models import Outcome, VisitStatus
from safetynet.discovery.services import HELP_KINDS
from safetynet.discovery.sources import SourceKind
from safetynet.intake.models import Kind
from safetynet.registry import choices as c


def _kind_choices() -> list[tuple[str, Any]]:
    labels = dict(Kind.choices)
    return [(k, labels[k]) for k in HELP_KINDS]


class ImportForm(forms.Form):
    source = forms.ChoiceField(label=_("Department and data"), choices=SourceKind.choices)
    file = forms.FileField(label=_("File (CSV or Excel)"), help_text=_(
        "First row: the column headers of the source's layout (see the user guide)."))


class VerifyForm(forms.Form):
    outcome = forms.ChoiceField(label=_("What the verification found"),
                                choices=Outcome.choices, widget=forms.RadioSelect)
    kind = forms.ChoiceField(label=_("Application type"), required=False,
                             choices=[("", "—")])
    department = forms.ChoiceField(label=_("Refer to"), required=False,
                                   choices=[("", "—"), *Department.choices])
    subject = forms.CharField(label=_("Referral subject"), required=False, max_length=120)
    note = forms.CharField(label=_("Findings and reasons"), required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [("", "—"), *_kind_choices()]


class HelpForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Help"), choices=[
        (Outcome.APPLICATION, _("Open an application")),
        (Outcome.REFERRAL, _("Refer to a department"))], widget=forms.RadioSelect)
    kind = forms.ChoiceField(label=_("Application type"), required=False, choices=[("", "—")])
    department = forms.ChoiceField(label=_("Refer to"), required=False,
                                   choices=[("", "—"), *Department.choices])
    subject = forms.CharField(label=_("Referral subject"), required=False, max_length=120)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [("", "—"), *_kind_choices()]


class VisitForm(forms.Form):
    status = forms.ChoiceField(label=_("Result"), widget=forms.RadioSelect, choices=[
        (VisitStatus.FOUND, VisitStatus.FOUND.label),
        (VisitStatus.NOT_FOUND, VisitStatus.NOT_FOUND.label)])
    situation = forms.CharField(label=_("Situation"), required=False,
                                widget=forms.Textarea(attrs={"rows": 3}))
    needs = forms.CharField(label=_("Needs"), required=False,
                            widget=forms.Textarea(attrs={"rows": 2}))
    needs_help = forms.BooleanField(label=_("Needs help"), required=False)


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    area_code = forms.CharField(label=_("Area code"), max_length=12)
    starts_on = forms.DateField(label=_("Starts on"), widget=forms.DateInput(
        attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("Ends on"), widget=forms.DateInput(attrs={"type": "date"}))
    categories = forms.MultipleChoiceField(
        label=_("Groups to visit"), widget=forms.CheckboxSelectMultiple,
        choices=[(g.code, g.label) for g in GROUPS])


class FoundPersonForm(forms.Form):
    category = forms.ChoiceField(label=_("Group"),
                                 choices=[(g.code, g.label) for g in GROUPS if not g.covered])
    area_code = forms.ChoiceField(label=_("Village / community"), choices=[])
    hukou = forms.ChoiceField(label=_("Hukou type"), choices=c.Hukou.choices)
    address = forms.CharField(label=_("Address"), max_length=200)
    name = forms.CharField(label=_("Name"), max_length=40)
    id_number = forms.CharField(label=_("ID number"), max_length=18, required=False)
    sex = forms.ChoiceField(label=_("Sex"), required=False, choices=[("", "—"),
                                                                      *c.Sex.choices])
    birth_date = forms.DateField(label=_("Birth date"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}))
    situation = forms.CharField(label=_("Situation"), widget=forms.Textarea(attrs={"rows": 3}))
    needs = forms.CharField(label=_("Needs"), required=False,
                            widget=forms.Textarea(attrs={"rows": 2}))
    needs_help = forms.BooleanField(label=_("Needs help"), required=False)

    def __init__(self, *args: Any, villages: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        area = self.fields["area_code"]
        assert isinstance(area, forms.ChoiceField)
        area.choices = villages
