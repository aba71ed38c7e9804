"""Incomes, assets and rigid expenditures: added and removed through the page, with history."""

from decimal import Decimal

from django.urls import reverse

from safetynet.registry.models import Asset, IncomeItem
from tests.conftest import make_household


def test_clerk_adds_and_removes_an_income_and_an_asset(client, clerk) -> None:
    household = make_household(clerk, name="蒋一", members=1)
    head = household.members.get(relation="head")
    client.force_login(clerk)
    url = reverse("registry:household_means", args=[household.pk])
    response = client.post(url, {"kind": "income", "income-person": head.pk,
                                 "income-kind": "wages", "income-monthly_amount": "1200.50"})
    assert response.status_code == 302
    assert IncomeItem.objects.get().monthly_amount == Decimal("1200.50")
    client.post(url, {"kind": "asset", "asset-kind": "deposit", "asset-value": "8000"})
    asset = Asset.objects.get()
    remove = reverse("registry:means_remove", args=[household.pk, "asset", asset.pk])
    client.post(remove)  # no reason: nothing is removed
    assert Asset.objects.exists()
    client.post(remove, {"reason": "存款已用于医疗"})
    assert not Asset.objects.exists()
    assert Asset.history.filter(history_type="-").count() == 1  # the removal is kept


def test_negative_amount_is_a_field_error(client, clerk) -> None:
    household = make_household(clerk, name="蒋二")
    client.force_login(clerk)
    page = client.post(reverse("registry:household_means", args=[household.pk]), {
        "kind": "expense", "expense-kind": "medical", "expense-monthly_amount": "-5"})
    assert page.status_code == 200 and not household.rigid_expenses.exists()


def test_other_townships_items_cannot_be_removed(client, clerk, clerk_b) -> None:
    household = make_household(clerk, name="蒋三")
    asset = Asset.objects.create(household=household, kind="car", value="50000")
    client.force_login(clerk_b)
    response = client.post(reverse("registry:means_remove",
                                   args=[household.pk, "asset", asset.pk]))
    assert response.status_code == 404 and Asset.objects.filter(pk=asset.pk).exists()
