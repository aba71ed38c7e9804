from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from safetynet.accounts.roles import Role
from safetynet.core.models import Area


class TokenForm(forms.Form):
    token = forms.CharField(label=_("6-digit code from your authenticator app"), max_length=8,
                            widget=forms.TextInput(attrs={"autocomplete": "one-time-code",
                                                          "inputmode": "numeric"}))


class UserCreateForm(forms.Form):
    username = forms.RegexField(label=_("Username"), regex=r"^[A-Za-z0-9_.-]{3,30}$",
                                help_text=_("3–30 letters, digits, _ . -"))
    display_name = forms.CharField(label=_("Name"), max_length=40)
    areas = forms.ModelMultipleChoiceField(label=_("Areas"), queryset=Area.objects.filter(
        level__in=["county", "township"]).order_by("code"))
    temporary_password = forms.CharField(label=_("Temporary password"),
                                         widget=forms.PasswordInput)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class ResetForm(forms.Form):
    temporary_password = forms.CharField(label=_("Temporary password"),
                                         widget=forms.PasswordInput)
