"""A money field's form field keeps the model field's translated name and help text."""

from __future__ import annotations

from decimal import Decimal

from django.forms import modelform_factory
from django.utils import translation

from safetynet.registry.models import Asset, IncomeItem


def test_money_form_fields_are_labelled_in_the_readers_language() -> None:
    with translation.override("zh-hans"):
        income = modelform_factory(IncomeItem, fields=["monthly_amount"])()
        asset = modelform_factory(Asset, fields=["value"])()
        labels = (str(income.fields["monthly_amount"].label), str(asset.fields["value"].label))
    assert labels[0] != "Monthly amount (yuan)" and "元" in labels[0]
    assert "元" in labels[1]
    assert income.fields["monthly_amount"].required


def test_money_form_fields_take_two_decimals() -> None:
    form = modelform_factory(IncomeItem, fields=["monthly_amount"])(
        data={"monthly_amount": "12.345"})
    assert not form.is_valid() and "monthly_amount" in form.errors
    ok = modelform_factory(IncomeItem, fields=["monthly_amount"])(data={"monthly_amount": "12.34"})
    assert ok.is_valid() and ok.cleaned_data["monthly_amount"] == Decimal("12.34")
