"""Forms parse and validate input; the service functions apply the change."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from safetynet.core.jurisdiction import scope
from safetynet.core.models import Area
from safetynet.registry import choices as c
from safetynet.registry.models import Asset, Household, IncomeItem, Person, RigidExpense
from safetynet.registry.validation import clean_bank_account
from safetynet.registry.widgets import SearchableSelect


class DateInput(forms.DateInput):
    input_type = "date"


class HouseholdForm(forms.ModelForm):
    area_code = forms.ChoiceField(label=_("Village / community"), widget=SearchableSelect)

    class Meta:
        model = Household
        fields = ["hukou", "address", "phone", "bank_name", "bank_account"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area_code"].choices = [  # type: ignore[attr-defined]
            (a.code, f"{a.parent.name if a.parent else ''} {a.name}")
            for a in scope(Area.objects.filter(level="village"), user, field="code")
            .select_related("parent")]
        if self.instance.pk:
            self.fields["area_code"].initial = self.instance.area_id

    def clean_bank_account(self) -> str:
        try:
            return clean_bank_account(self.cleaned_data.get("bank_account"))
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["bank_account"]) from exc


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = [
            "name", "id_number", "sex", "birth_date", "relation", "phone", "marital_status",
            "education", "employment", "disability_category", "disability_grade",
            "serious_illness", "health_notes", "self_care", "ability_grade",
            "full_time_student", "no_able_supporter", "orphan_status", "in_institution",
            "not_counted",
        ]
        widgets = {"birth_date": DateInput()}
        help_texts = {"id_number": _("18 characters; birth date and sex are read from it.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("sex", "birth_date"):
            self.fields[name].required = False
        self.fields["relation"].required = False
        # Uniqueness is checked by the service, which names the existing person.
        self.fields["id_number"].validators = []

    def validate_unique(self) -> None:
        """The service names the person who already holds an ID number."""


class DeceasedForm(forms.Form):
    deceased_on = forms.DateField(label=_("Date of death"), widget=DateInput())


class MoveForm(forms.Form):
    target_number = forms.CharField(label=_("Number of the household to move to"))
    relation = forms.ChoiceField(label=_("Relation to its head"), choices=c.Relation.choices)


class MergeForm(forms.Form):
    target_number = forms.CharField(label=_("Merge into household number"))


class SplitForm(forms.Form):
    members = forms.MultipleChoiceField(label=_("Members who form the new household"),
                                        widget=forms.CheckboxSelectMultiple)
    head = forms.ChoiceField(label=_("Head of the new household"))
    address = forms.CharField(label=_("Address of the new household"), required=False)

    def __init__(self, *args: Any, household: Household, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        living = [(str(p.pk), p.name) for p in household.members.all() if p.alive]
        self.fields["members"].choices = living  # type: ignore[attr-defined]
        self.fields["head"].choices = living  # type: ignore[attr-defined]


class RevealForm(forms.Form):
    reason = forms.CharField(label=_("Why do you need the full number?"), max_length=200)


def money_labels(model: type[Any], *names: str) -> dict[str, Any]:
    """The model's (translated) verbose names as labels: core.money.MoneyField's form field
    does not carry them, so the form would show the English field name."""
    return {name: capfirst(model._meta.get_field(name).verbose_name) for name in names}


class IncomeForm(forms.ModelForm):
    class Meta:
        model = IncomeItem
        fields = ["person", "kind", "monthly_amount", "note"]
        labels = money_labels(IncomeItem, "monthly_amount")

    def __init__(self, *args: Any, household: Household, closed: set[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        person = self.fields["person"]
        person.queryset = household.members.filter(  # type: ignore[attr-defined]
            deceased_on__isnull=True).exclude(pk__in=closed)
        person.label = _("Member")


class RemoveItemForm(forms.Form):
    reason = forms.CharField(label=_("Why is it removed?"), max_length=100, min_length=2,
                             help_text=_("e.g. entered by mistake, the income ended; kept in "
                                         "the household's history"))


class AssetForm(forms.ModelForm):
    class Meta:
        model = Asset
        fields = ["kind", "value", "note"]
        labels = money_labels(Asset, "value")


class ExpenseForm(forms.ModelForm):
    class Meta:
        model = RigidExpense
        fields = ["kind", "monthly_amount", "note"]
        labels = money_labels(RigidExpense, "monthly_amount")
