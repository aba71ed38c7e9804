"""Forms of the elderly-care screens: they parse input; the services decide."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safetynet.benefits.months import parse_period
from safetynet.eldercare import ability, catalogue
from safetynet.eldercare.models import (
    BedType,
    Confirmation,
    InsuranceKind,
    ServiceItem,
    StayKind,
)

DATE = forms.DateInput(attrs={"type": "date"})
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def set_choices(form: forms.Form, name: str, choices: list[Any]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


class MonthField(forms.CharField):
    widget = forms.TextInput(attrs={"type": "month", "placeholder": "2022-08"})

    def to_python(self, value: Any) -> date | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        try:
            return parse_period(text)
        except ValueError as exc:
            raise forms.ValidationError(_("Enter a month as YYYY-MM, e.g. 2022-08.")) from exc

    def prepare_value(self, value: Any) -> Any:
        return f"{value:%Y-%m}" if isinstance(value, date) else value


class AssessmentForm(forms.Form):
    assessed_on = forms.DateField(label=_("assessed on"), widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for item in ability.ITEMS:
            choices = [("", "—")] + [(str(n), str(n)) for n in range(item.max_score, -1, -1)]
            self.fields[item.code] = forms.TypedChoiceField(
                label=str(item.label), choices=choices, coerce=int,
                help_text=_("0 to %(n)d, higher is better") % {"n": item.max_score})
        self.fields["dementia"] = forms.BooleanField(label=_("diagnosed dementia"),
                                                     required=False)
        self.fields["psychiatric"] = forms.BooleanField(
            label=_("other diagnosed psychiatric illness"), required=False)
        self.fields["risk_events"] = forms.IntegerField(
            label=_("care-risk events in the last 30 days"), min_value=0, max_value=99,
            initial=0, help_text=_("falls, choking, self-harm, wandering"))
        self.fields["note"] = forms.CharField(label=_("note"), max_length=200, required=False)

    def parts(self) -> list[tuple[Any, list[Any]]]:
        """The item fields grouped by part, for the template."""
        return [(label, [self[i.code] for i in ability.ITEMS if i.part == part])
                for part, label in ability.PARTS.items()]

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"scores": {code: data[code] for code in ability.ITEM_CODES},
                "assessed_on": data["assessed_on"], "dementia": data["dementia"],
                "psychiatric": data["psychiatric"], "risk_events": data["risk_events"] or 0,
                "note": data["note"]}


class VisitForm(forms.Form):
    started_at = forms.DateTimeField(label=_("check-in"), widget=DATETIME)
    ended_at = forms.DateTimeField(label=_("check-out"), widget=DATETIME)

    def __init__(self, *args: Any, prices: dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for item in ServiceItem:
            if prices is not None and item.value not in prices:
                continue
            price = prices.get(item.value) if prices else None
            self.fields[f"item_{item.value}"] = forms.IntegerField(
                label=item.label, min_value=0, max_value=20, initial=0, required=False,
                help_text=_("%(p)s yuan each") % {"p": price} if price is not None else "",
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
        self.fields["confirmation"] = forms.ChoiceField(
            label=_("confirmed by"), choices=Confirmation.choices, initial=Confirmation.SELF)
        self.fields["confirmer_name"] = forms.CharField(label=_("name of who confirmed"),
                                                        max_length=40, required=False)
        self.fields["notes"] = forms.CharField(label=_("notes"), max_length=300, required=False,
                                               widget=forms.Textarea(attrs={"rows": 2}))
        self.fields["photo"] = forms.FileField(
            label=_("photo (optional)"), required=False,
            widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}))

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        items = {name[5:]: value or 0 for name, value in data.items() if name.startswith("item_")}
        return {"started_at": data["started_at"], "ended_at": data["ended_at"], "items": items,
                "confirmation": data["confirmation"], "confirmer_name": data["confirmer_name"],
                "notes": data["notes"], "photo": data.get("photo")}


def now_local() -> datetime:
    return timezone.localtime().replace(second=0, microsecond=0, tzinfo=None)


class ComplianceFilter(forms.Form):
    month = MonthField(label=_("month"))
    township = forms.ChoiceField(label=_("township"), required=False)
    provider = forms.TypedChoiceField(label=_("service provider"), required=False, coerce=int,
                                      empty_value=None)
    show = forms.ChoiceField(label=_("show"), required=False, choices=[
        ("shortfall", _("Shortfalls")), ("no_visit", _("No visit")), ("all", _("Everyone"))])

    def __init__(self, *args: Any, townships: list[tuple[str, str]],
                 providers: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "township", [("", _("All townships")), *townships])
        set_choices(self, "provider", [("", _("All providers")), *providers])


class OrdersForm(forms.Form):
    month = MonthField(label=_("month"))
    area_code = forms.ChoiceField(label=_("township"), required=False)

    def __init__(self, *args: Any, townships: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "area_code", [("", _("All my areas")), *townships])


class StatementForm(forms.Form):
    month = MonthField(label=_("month"))
    provider = forms.TypedChoiceField(label=_("service provider"), coerce=int)

    def __init__(self, *args: Any, providers: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "provider", providers)


class VoidForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=200)


class PersonPickForm(forms.Form):
    id_number = forms.CharField(label=_("ID number"), max_length=18)


class AdmitForm(PersonPickForm):
    kind = forms.ChoiceField(label=_("type"), choices=StayKind.choices)
    bed_type = forms.ChoiceField(label=_("bed type"), required=False,
                                 choices=[("", "—"), *BedType.choices])
    admitted_on = forms.DateField(label=_("admitted on"), widget=DATE)


class DischargeForm(forms.Form):
    discharged_on = forms.DateField(label=_("discharged on"), widget=DATE)
    reason = forms.CharField(label=_("reason"), max_length=200)


class PlanForm(forms.Form):
    person = forms.TypedChoiceField(label=_("elderly person"), coerce=int)
    contractor = forms.CharField(label=_("contractor"), max_length=100, required=False)

    def __init__(self, *args: Any, members: list[tuple[int, str]],
                 prices: dict[str, Decimal], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "person", members)
        for item in catalogue.CATALOGUE:
            who = _("government") if item.basic else _("self-paid")
            self.fields[f"item_{item.code}"] = forms.IntegerField(
                label=str(item.label), min_value=0, max_value=50, required=False, initial=0,
                help_text=f"{prices[item.code]} / {item.unit} · {who}")

    def groups(self) -> list[tuple[Any, list[Any]]]:
        return [(label, [self[f"item_{i.code}"] for i in catalogue.CATALOGUE if i.group == g])
                for g, label in catalogue.GROUPS.items()]

    def items(self) -> dict[str, int]:
        return {name[5:]: value or 0 for name, value in self.cleaned_data.items()
                if name.startswith("item_")}


class StartWorkForm(forms.Form):
    contractor = forms.CharField(label=_("contractor"), max_length=100)
    started_on = forms.DateField(label=_("work started on"), widget=DATE)
    before_photo = forms.FileField(label=_("photo before"), required=False)


class AcceptForm(forms.Form):
    accepted_on = forms.DateField(label=_("work accepted on"), widget=DATE)
    note = forms.CharField(label=_("acceptance check"), max_length=300)
    after_photo = forms.FileField(label=_("photo after"), required=False)


class CoverForm(PersonPickForm):
    added_on = forms.DateField(label=_("covered from"), widget=DATE)


class RemoveCoverForm(forms.Form):
    removed_on = forms.DateField(label=_("covered until"), widget=DATE)
    note = forms.CharField(label=_("reason"), max_length=200)


INSURANCE_KINDS = InsuranceKind.choices
