"""Forms of the programme set-up screens (providers, contracts, workers, institutions,
insurance policies): they parse input; the services in services.py, institutions.py and
insurance.py decide. Fields are named after the keys of the services' ValidationErrors, so
``apply_service`` puts each error next to its field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from safetynet.accounts.models import User
from safetynet.accounts.roles import Role
from safetynet.core.jurisdiction import area_q, covers, user_area_codes
from safetynet.core.models import Area
from safetynet.eldercare.forms import DATE, set_choices
from safetynet.eldercare.models import (
    BedType,
    InstitutionKind,
    InsuranceKind,
    Provider,
    ServiceItem,
)

MONEY = forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01", "min": "0"})
COUNT = forms.NumberInput(attrs={"inputmode": "numeric", "min": "0"})


def area_choices(user: Any, *, county: bool = False) -> list[tuple[str, str]]:
    """The areas inside the user's jurisdiction, townships before their villages."""
    found = Area.objects.filter(area_q(user_area_codes(user), "code")).order_by("code")
    if not county:
        found = found.exclude(level="county")
    return [(a.code, a.name if a.level != "village" else f"— {a.name}") for a in found]


class ProviderForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=100)
    credit_code = forms.CharField(label=_("unified social credit code"), max_length=18,
                                  help_text=_("18 letters and digits"))
    contact_person = forms.CharField(label=_("contact person"), max_length=40, required=False)
    phone = forms.CharField(label=_("phone"), max_length=20, required=False,
                            widget=forms.TextInput(attrs={"inputmode": "tel"}))
    address = forms.CharField(label=_("address"), max_length=200, required=False)


class ContractForm(forms.Form):
    provider = forms.ModelChoiceField(label=_("service provider"),
                                      queryset=Provider.objects.none())
    number = forms.CharField(label=_("contract number"), max_length=40)
    starts_on = forms.DateField(label=_("from"), widget=DATE)
    ends_on = forms.DateField(label=_("until"), widget=DATE)
    areas = forms.MultipleChoiceField(
        label=_("service areas"), required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("The townships or villages served; hold Ctrl to choose several."))

    def __init__(self, *args: Any, user: Any, providers: QuerySet[Provider],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        provider = self.fields["provider"]
        assert isinstance(provider, forms.ModelChoiceField)
        provider.queryset = providers
        set_choices(self, "areas", area_choices(user))
        for item in ServiceItem:  # named after the item: the service's errors use its code
            self.fields[item.value] = forms.DecimalField(
                label=_("price of %(i)s (yuan)") % {"i": item.label}, required=False,
                max_digits=8, decimal_places=2, widget=MONEY,
                help_text=_("empty: not in the contract"))

    def prices(self) -> dict[str, Any]:
        return {item.value: self.cleaned_data.get(item.value) for item in ServiceItem}


def provider_workers(user: Any) -> QuerySet[User]:
    """Active logins with the role service provider whose areas meet the user's."""
    codes = user_area_codes(user)
    workers = User.objects.filter(role=Role.PROVIDER, is_active=True).prefetch_related("areas")
    keep = [w.pk for w in workers
            if any(covers(user, a.code) or any(c.startswith(a.code) for c in codes)
                   for a in w.areas.all())]
    return User.objects.filter(pk__in=keep).order_by("username")


class WorkerField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.username}（{obj.display_name}）" if obj.display_name else obj.username


class StaffForm(forms.Form):
    provider = forms.ModelChoiceField(label=_("service provider"),
                                      queryset=Provider.objects.none())
    worker = WorkerField(
        label=_("worker's login"), queryset=User.objects.none(),
        help_text=_("A login with the role “service provider”; ask the administrator to "
                    "create one first."))

    def __init__(self, *args: Any, providers: QuerySet[Provider], workers: QuerySet[User],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        provider, worker = self.fields["provider"], self.fields["worker"]
        assert isinstance(provider, forms.ModelChoiceField)
        assert isinstance(worker, forms.ModelChoiceField)
        provider.queryset = providers
        worker.queryset = workers


class InstitutionForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=100)
    kind = forms.ChoiceField(label=_("type"), choices=InstitutionKind.choices)
    area = forms.ChoiceField(label=_("township or village"))
    address = forms.CharField(label=_("address"), max_length=200, required=False)
    reserved_beds = forms.IntegerField(
        label=_("beds reserved for extreme-poverty support"), min_value=0, initial=0,
        widget=COUNT)
    day_care_places = forms.IntegerField(label=_("day-care places"), min_value=0, initial=0,
                                         widget=COUNT)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "area", area_choices(user))
        for bed in BedType:
            self.fields[f"bed_{bed.value}"] = forms.IntegerField(
                label=_("%(t)s: number") % {"t": bed.label}, min_value=0, initial=0,
                required=False, widget=COUNT)

    def beds(self) -> dict[str, int]:
        return {bed.value: self.cleaned_data.get(f"bed_{bed.value}") or 0 for bed in BedType}


class PolicyForm(forms.Form):
    kind = forms.ChoiceField(label=_("type"), choices=InsuranceKind.choices)
    insurer = forms.CharField(label=_("insurer"), max_length=100)
    number = forms.CharField(label=_("policy number"), max_length=40)
    starts_on = forms.DateField(label=_("from"), widget=DATE)
    ends_on = forms.DateField(label=_("until"), widget=DATE)
    area = forms.ChoiceField(label=_("area covered"))
    premium = forms.DecimalField(
        label=_("yearly premium per person / bed (yuan)"), required=False, max_digits=10,
        decimal_places=2, widget=MONEY,
        help_text=_("empty: the premium in force (parameter eldercare.insurance_premium)"))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "area", area_choices(user, county=True))
