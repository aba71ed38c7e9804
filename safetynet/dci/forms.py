"""Forms of the partner-registration pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from safetynet.accounts.roles import Department
from safetynet.core.models import Area
from safetynet.dci.models import FieldGroup


class PartnerForm(forms.Form):
    code = forms.CharField(label=_("sender ID"), max_length=60,
                           help_text=_("The sender_id the partner's system puts in every "
                                       "message header, e.g. yibao.donghai"))
    name = forms.CharField(label=_("name"), max_length=100)
    department = forms.ChoiceField(label=_("partner department"), required=False,
                                   choices=[("", "—"), *Department.choices])
    purpose = forms.CharField(label=_("purpose of use"), max_length=200)
    field_groups = forms.MultipleChoiceField(label=_("fields it may see"),
                                             choices=FieldGroup.choices,
                                             widget=forms.CheckboxSelectMultiple)
    areas = forms.ModelMultipleChoiceField(label=_("areas"),
                                           queryset=Area.objects.exclude(level="village"))
    callback_url = forms.URLField(label=_("callback base URL"), required=False,
                                  assume_scheme="https")
    public_key = forms.CharField(label=_("signing public key (Ed25519, PEM)"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 4}))
    require_signature = forms.BooleanField(label=_("signed messages required"),
                                           required=False)
