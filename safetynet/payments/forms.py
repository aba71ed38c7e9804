"""Forms of the payroll screens (validation of input; the services decide)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from safetynet.benefits.models import Program


class RunForm(forms.Form):
    program = forms.ChoiceField(label=_("Programme"), choices=Program.choices)
    period = forms.CharField(label=_("Month (YYYY-MM)"), max_length=7,
                             help_text=_("Old-age allowance: the first month of the quarter."),
                             widget=forms.TextInput(attrs={"placeholder": "2022-09"}))


class RejectForm(forms.Form):
    note = forms.CharField(label=_("Why is the run rejected?"), max_length=200)


class ExportForm(forms.Form):
    format = forms.ChoiceField(label=_("File format"),
                               choices=[("xlsx", "Excel (.xlsx)"), ("csv", "CSV (.csv)")])


class ReturnForm(forms.Form):
    file = forms.FileField(label=_("The bank's return file (CSV or XLSX)"))


class ReissueForm(forms.Form):
    include_unchanged = forms.BooleanField(
        label=_("Also re-issue failed lines whose account was not changed"), required=False)


class StatsForm(forms.Form):
    program = forms.ChoiceField(label=_("Programme"), required=False,
                                choices=[("", _("All programmes")), *Program.choices])
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000,
                              max_value=2100)


class OverpaymentForm(forms.Form):
    reference = forms.CharField(label=_("Payment line reference (SN…)"), max_length=20)
    amount = forms.DecimalField(label=_("Amount overpaid (yuan)"), max_digits=12,
                                decimal_places=2)
    reason = forms.CharField(label=_("Reason"), max_length=200)


class RecoveryForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount recovered (yuan)"), max_digits=12,
                                decimal_places=2)
    on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
