"""Issue #21 on the registry pages: the household history shows no internal field and
names fields in the reader's language; the means page has translated labels; removing an
item asks for confirmation and a reason, kept in the history and the audit log; village
pickers can be searched."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from safetynet.core.actor import Actor
from safetynet.core.models import AuditEvent
from safetynet.registry import selectors, services
from safetynet.registry.forms import HouseholdForm
from safetynet.registry.models import Asset, Household, IncomeItem
from tests.conftest import VILLAGE_A2, make_household

ACCOUNT = "6228480012345671"


def test_history_never_shows_blind_indexes_and_speaks_chinese(client, clerk) -> None:
    household = make_household(clerk, name="蒋一")
    services.update_household(Actor.of(clerk), household, {
        "bank_account": ACCOUNT, "phone": "13812345678", "hukou": "urban"})
    client.force_login(clerk)
    with translation.override("zh-hans"):
        page = client.get(reverse("registry:household", args=[household.pk])).content.decode()
    history = page[page.index('class="history"'):]
    assert "index" not in history.lower()
    assert household.bank_account_index not in page and household.phone_index not in page
    assert "一卡通账号: — → **** 5671" in history and ACCOUNT not in page
    assert "户籍类型: 农村 → 城镇" in history  # label and value in Chinese
    fields = {name for change in selectors.household_history(household)
              for name, _old, _new in change.fields}
    assert fields and not any("index" in name.lower() for name in fields)


def test_history_names_households_and_villages_not_their_ids(clerk) -> None:
    household = make_household(clerk, name="蒋五")
    target = make_household(clerk, name="蒋六", village=VILLAGE_A2)
    head = household.members.get()
    services.add_person(Actor.of(clerk), household, {
        "name": "蒋小五", "sex": "M", "birth_date": date(2001, 1, 1), "relation": "child"})
    services.move_person(Actor.of(clerk), household.members.get(name="蒋小五"), target, "child")
    services.update_household(Actor.of(clerk), household, {"area_code": VILLAGE_A2})
    with translation.override("zh-hans"):
        changes = selectors.household_history(household) + selectors.household_history(target)
    shown = [(name, old, new) for change in changes for name, old, new in change.fields]
    assert any(old == household.number and new == target.number
               for _n, old, new in shown), shown
    assert any(new == f"城东社区 ({VILLAGE_A2})" for _n, _old, new in shown), shown
    assert head.pk not in {old for _n, old, _new in shown}


def test_the_means_page_labels_are_translated(client, clerk) -> None:
    household = make_household(clerk, name="蒋二")
    client.force_login(clerk)
    with translation.override("zh-hans"):
        page = client.get(reverse("registry:household_means", args=[household.pk]))
    text = page.content.decode()
    assert "月金额（元）" in text and "价值（元）" in text
    assert "Monthly amount" not in text and ">Value" not in text


def test_removing_an_income_asks_for_confirmation_and_a_reason(client, clerk) -> None:
    household = make_household(clerk, name="蒋三")
    head = household.members.get()
    income = IncomeItem.objects.create(person=head, kind="wages", monthly_amount="1200")
    client.force_login(clerk)
    url = reverse("registry:means_remove", args=[household.pk, "income", income.pk])
    means = client.get(reverse("registry:household_means", args=[household.pk])).content
    assert f'href="{url}"'.encode() in means  # a link to the confirmation, not a delete
    with translation.override("zh-hans"):
        confirm = client.get(url)
        assert confirm.status_code == 200 and "删除" in confirm.content.decode()
        refused = client.post(url, {"reason": ""})
    assert refused.status_code == 200 and IncomeItem.objects.filter(pk=income.pk).exists()
    done = client.post(url, {"reason": "录入错误，实际无工资"})
    assert done.status_code == 302 and not IncomeItem.objects.filter(pk=income.pk).exists()
    removed = IncomeItem.history.get(history_type="-")
    assert removed.history_change_reason == "录入错误，实际无工资"
    event = AuditEvent.objects.get(action="registry_means_removed")
    assert event.object_id == str(household.pk)
    with translation.override("zh-hans"):
        page = client.get(reverse("registry:household", args=[household.pk])).content.decode()
    history = page[page.index('class="history"'):]
    assert "收入项" in history and "录入错误，实际无工资" in history and "蒋三" in history


def test_the_service_refuses_a_removal_without_a_reason(clerk, clerk_b) -> None:
    household = make_household(clerk, name="蒋四")
    asset = Asset.objects.create(household=household, kind="car", value="50000")
    with pytest.raises(ValidationError) as exc:
        services.remove_means_item(Actor.of(clerk), asset, " ")
    assert list(exc.value.message_dict) == ["reason"] and Asset.objects.filter(pk=asset.pk)
    assert services.remove_means_item(Actor.of(clerk), asset, "车已卖出") == household
    assert not Asset.objects.filter(pk=asset.pk).exists()
    assert Asset.history.get(history_type="-").history_change_reason == "车已卖出"


def test_the_village_picker_is_searchable(client, clerk) -> None:
    form = HouseholdForm(user=clerk)
    html = str(form["area_code"])
    assert 'type="search"' in html and 'data-filter-input="id_area_code_filter"' in html
    assert "safetynet/picker.js" in html
    client.force_login(clerk)
    page = client.get(reverse("registry:household_create")).content.decode()
    assert 'id="id_hh-area_code_filter"' in page
    household = Household.objects.none()
    assert not household.exists()
