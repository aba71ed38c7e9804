"""Forms of the enrolment screens."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from safetynet.benefits.models import EndReason, Program, Status

MONTH_HELP = _("Any day of the month; empty: next month.")


class FilterForm(forms.Form):
    program = forms.ChoiceField(label=_("Programme"), required=False,
                                choices=[("", _("All programmes")), *Program.choices])
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All")), *Status.choices])


class MonthField(forms.DateField):
    def __init__(self, label: Any, required: bool = False) -> None:
        super().__init__(label=label, required=required, help_text=MONTH_HELP,
                         widget=forms.DateInput(attrs={"type": "date"}))


class ChangeForm(forms.Form):
    reason = forms.CharField(label=_("What changed"), max_length=200)
    effective_month = MonthField(_("From month"))
    amount = forms.DecimalField(label=_("Amount decided (yuan)"), required=False,
                                max_digits=12, decimal_places=2,
                                help_text=_("Empty: the rules compute it from the registry."))


class SuspendForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)
    from_month = MonthField(_("Suspend from month"))


class ResumeForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)
    from_month = MonthField(_("Pay again from month"))


class TerminateForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=EndReason.choices)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
    last_month = MonthField(_("Last month paid"))


class ExitForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
    from_month = MonthField(_("Gradual exit from month"))


class ReviewForm(forms.Form):
    facts = forms.CharField(label=_("Facts found (enter changed incomes etc. in the registry "
                                    "first)"), widget=forms.Textarea(attrs={"rows": 3}))
    effective_month = MonthField(_("Result applies from month"))
