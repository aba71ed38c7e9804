"""Forms of the rules screens: propose and decide a parameter change, start a run, what-if."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.forms import BaseFormSet, formset_factory
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from safetynet.core import areas
from safetynet.core.dates import next_month
from safetynet.core.jurisdiction import scope
from safetynet.core.models import Area
from safetynet.policy import ParameterError
from safetynet.policy.params import Parameter
from safetynet.rules import labels
from safetynet.rules.parameters import current_parameters, parse_value

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def first_of_next_month(today: date | None = None) -> date:
    return next_month(today or timezone.localdate())


def _lang() -> str:
    return labels.engine_language(get_language())


def _label(param: Parameter) -> str:
    return param.label_en if _lang() == "en" else param.label_zh


def parameter_choices() -> list[tuple[str, str]]:
    """Every parameter, and every entry of a keyed one, as (engine name, readable label)."""
    choices = []
    for name, param in sorted(current_parameters().parameters.items()):
        choices.append((name, f"{_label(param)} ({name})"))
        for key in param.keys or ():
            entry = param.key_label(key, _lang())
            choices.append((f"{name}.{key}", f"{_label(param)}: {entry} ({name}.{key})"))
    return choices


def area_choices(user: Any) -> list[tuple[str, str]]:
    """The county and townships inside the user's areas (scopes a change may have)."""
    places = scope(Area.objects.filter(level__in=(areas.COUNTY, areas.TOWNSHIP)), user,
                   field="code").order_by("code")
    return [(a.code, f"{a.code} {a.name}") for a in places]


class ProposeForm(forms.Form):
    key = forms.ChoiceField(label=gettext_lazy("Entry"), required=False)
    scope = forms.ChoiceField(label=gettext_lazy("Area"))
    value = forms.CharField(label=gettext_lazy("New value"), max_length=40,
                            help_text=gettext_lazy("In the parameter's unit, e.g. 700."))
    effective_from = forms.DateField(label=gettext_lazy("Effective from"), widget=DATE_INPUT,
                                     help_text=gettext_lazy("Today or later; benefits are "
                                                            "evaluated on the 1st of a month."))
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=forms.Textarea(
        attrs={"rows": 3}), max_length=1000)
    reference = forms.CharField(label=gettext_lazy("Document or reference"), max_length=200,
                                required=False)

    def __init__(self, *args: Any, parameter: Parameter, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.parameter = parameter
        key = self.fields["key"]
        assert isinstance(key, forms.ChoiceField)
        if parameter.keys:
            key.choices = [("", _("Every entry"))] + [
                (k, parameter.key_label(k, _lang())) for k in parameter.keys]
        else:
            del self.fields["key"]
        area = self.fields["scope"]
        assert isinstance(area, forms.ChoiceField)
        area.choices = area_choices(user)
        self.fields["effective_from"].initial = first_of_next_month()

    def cleaned_change(self) -> dict[str, Any]:
        """The data for services.propose_change."""
        data = dict(self.cleaned_data)
        key = data.pop("key", "")
        data["parameter"] = f"{self.parameter.name}.{key}" if key else self.parameter.name
        return data


class DecisionForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("Note"), max_length=200, required=False)


class RunForm(forms.Form):
    on = forms.DateField(label=gettext_lazy("Evaluation date"), widget=DATE_INPUT)


class WhatIfForm(forms.Form):
    on = forms.DateField(label=gettext_lazy("Evaluation date"), widget=DATE_INPUT)


class OverrideForm(forms.Form):
    parameter = forms.ChoiceField(label=gettext_lazy("Parameter"), required=False)
    value = forms.CharField(label=gettext_lazy("Value"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parameter = self.fields["parameter"]
        assert isinstance(parameter, forms.ChoiceField)
        parameter.choices = [("", "—")] + parameter_choices()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        name, value = data.get("parameter"), (data.get("value") or "").strip()
        if name and not value:
            self.add_error("value", _("give the value to try"))
        if value and not name:
            self.add_error("parameter", _("choose the parameter"))
        if name and value:
            try:
                current_parameters().with_overrides({name: parse_value(value)})
            except ParameterError as exc:
                self.add_error("value", labels.parameter_problem(name, exc.message))
        return data


class BaseOverrideFormSet(BaseFormSet):  # type: ignore[type-arg]
    def overrides(self) -> dict[str, object]:
        return {form.cleaned_data["parameter"]: parse_value(form.cleaned_data["value"])
                for form in self.forms
                if form.cleaned_data.get("parameter") and form.cleaned_data.get("value")}

    def clean(self) -> None:
        super().clean()
        if not any(self.errors) and not self.overrides():
            raise forms.ValidationError(_("Change at least one parameter."))


OverrideFormSet = formset_factory(OverrideForm, formset=BaseOverrideFormSet, extra=3,
                                  max_num=10)
