"""The set-up screens: new provider, contract, provider worker, institution and insurance
policy. Each renders for a programme manager, saves through its service, shows the
service's errors on the form, and is refused (403) to other roles."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from safetynet.accounts.models import User
from safetynet.accounts.roles import Role
from safetynet.core.models import Area
from safetynet.eldercare import permissions, services
from safetynet.eldercare.models import (
    Contract,
    Institution,
    InsurancePolicy,
    Provider,
    ProviderStaff,
)
from tests.conftest import COUNTY, TOWN_A, TOWN_B, client_for, make_user


def post(user: User, name: str, data: dict[str, Any]) -> Any:
    return client_for(user).post(reverse(f"eldercare:{name}"), data)


def errors(response: Any) -> dict[str, Any]:
    assert response.status_code == 200
    assert 'class="error"' in response.content.decode()
    return dict(response.context["form"].errors)


# --- provider -------------------------------------------------------------------------------


PROVIDER = {"name": "牛山颐养居家服务社", "credit_code": "52320722mj7654321y",
            "contact_person": "李主任", "phone": "0518-87001234", "address": "牛山镇人民路8号"}


def test_new_provider(officer: User) -> None:
    page = client_for(officer).get(reverse("eldercare:provider_new"))
    assert page.status_code == 200 and 'name="credit_code"' in page.content.decode()
    response = post(officer, "provider_new", PROVIDER)
    assert response.status_code == 302 and response.url == reverse("eldercare:providers")
    provider = Provider.objects.get(name="牛山颐养居家服务社")
    assert (provider.credit_code, provider.contact_person) == ("52320722MJ7654321Y", "李主任")


def test_bad_provider_shows_the_error(officer: User) -> None:
    found = errors(post(officer, "provider_new", {**PROVIDER, "credit_code": "123"}))
    assert "credit_code" in found
    assert not Provider.objects.exists()


def test_provider_screens_refused_to_other_roles(clerk: User, worker: User) -> None:
    for user in (clerk, worker):
        client = client_for(user)
        for name in ("provider_new", "contract_new", "staff_add"):
            assert client.get(reverse(f"eldercare:{name}")).status_code == 403
        assert client.post(reverse("eldercare:provider_new"), PROVIDER).status_code == 403
    assert Provider.objects.count() == 1  # the worker's provider, from the fixtures


def test_service_refusal_is_403(officer: User, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise PermissionDenied("no")

    monkeypatch.setattr(services, "create_provider", refuse)
    assert post(officer, "provider_new", PROVIDER).status_code == 403


# --- contract -------------------------------------------------------------------------------


def contract_data(provider: Provider, **extra: Any) -> dict[str, Any]:
    return {"provider": provider.pk, "number": "NS-JJ-2023-01", "starts_on": "2023-01-01",
            "ends_on": "2023-12-31", "areas": [TOWN_A], "meals": "12", "cleaning": "20.5",
            **extra}


def test_new_contract(town_officer: User, provider: Provider) -> None:
    page = client_for(town_officer).get(reverse("eldercare:contract_new"),
                                        {"provider": provider.pk})
    text = page.content.decode()
    assert page.status_code == 200 and 'name="areas"' in text and 'name="meals"' in text
    assert TOWN_B not in text  # only the officer's own areas are offered
    response = post(town_officer, "contract_new", contract_data(provider))
    assert response.status_code == 302
    contract = Contract.objects.get(number="NS-JJ-2023-01")
    assert contract.provider == provider
    assert [a.code for a in contract.areas.all()] == [TOWN_A]
    assert dict(contract.prices.values_list("item", "price")) == {
        "meals": Decimal("12.00"), "cleaning": Decimal("20.50")}


def test_bad_contract_shows_the_errors(town_officer: User, provider: Provider) -> None:
    found = errors(post(town_officer, "contract_new",
                        contract_data(provider, ends_on="2022-12-31")))
    assert "ends_on" in found
    found = errors(post(town_officer, "contract_new", contract_data(provider, areas=[])))
    assert "areas" in found
    found = errors(post(town_officer, "contract_new",
                        contract_data(provider, areas=[TOWN_B])))  # not the officer's
    assert "areas" in found
    found = errors(post(town_officer, "contract_new",
                        contract_data(provider, meals="", cleaning="")))
    assert "__all__" in found  # no price at all
    found = errors(post(town_officer, "contract_new", contract_data(provider, meals="-1")))
    assert "meals" in found
    assert not Contract.objects.exists()


# --- provider's worker ----------------------------------------------------------------------


@pytest.fixture
def new_worker(county: dict[str, Area]) -> User:
    return make_user("worker_new", Role.PROVIDER, county[TOWN_A])


def test_add_staff(officer: User, provider: Provider, new_worker: User) -> None:
    page = client_for(officer).get(reverse("eldercare:staff_add"))
    assert page.status_code == 200 and "worker_new" in page.content.decode()
    response = post(officer, "staff_add", {"provider": provider.pk, "worker": new_worker.pk})
    assert response.status_code == 302
    link = ProviderStaff.objects.get(user=new_worker)
    assert link.provider == provider and link.active
    assert permissions.provider_of(new_worker) == provider


def test_staff_must_be_a_provider_login(officer: User, provider: Provider,
                                        clerk: User) -> None:
    found = errors(post(officer, "staff_add", {"provider": provider.pk, "worker": clerk.pk}))
    assert "worker" in found
    found = errors(post(officer, "staff_add", {"provider": provider.pk}))
    assert "worker" in found
    assert not ProviderStaff.objects.exists()


# --- institution ----------------------------------------------------------------------------


INSTITUTION = {"name": "牛山镇敬老院", "kind": "welfare_home", "area": TOWN_A,
               "address": "牛山镇东街1号", "bed_nursing": "10", "bed_ordinary": "20",
               "reserved_beds": "8", "day_care_places": "5"}


def test_new_institution(town_officer: User) -> None:
    page = client_for(town_officer).get(reverse("eldercare:institution_new"))
    assert page.status_code == 200 and 'name="bed_nursing"' in page.content.decode()
    response = post(town_officer, "institution_new", INSTITUTION)
    home = Institution.objects.get(name="牛山镇敬老院")
    assert response.status_code == 302
    assert response.url == reverse("eldercare:institution", args=[home.pk])
    assert (home.area_id, home.reserved_beds, home.day_care_places) == (TOWN_A, 8, 5)
    assert dict(home.beds.values_list("bed_type", "count")) == {"nursing": 10, "ordinary": 20}


def test_bad_institution_shows_the_error(town_officer: User) -> None:
    found = errors(post(town_officer, "institution_new", {**INSTITUTION, "reserved_beds": "40"}))
    assert "reserved_beds" in found
    found = errors(post(town_officer, "institution_new", {**INSTITUTION, "area": TOWN_B}))
    assert "area" in found
    assert not Institution.objects.exists()


def test_institution_screen_refused_to_other_roles(clerk: User, worker: User) -> None:
    for user in (clerk, worker):
        client = client_for(user)
        assert client.get(reverse("eldercare:institution_new")).status_code == 403
        assert client.post(reverse("eldercare:institution_new"),
                           INSTITUTION).status_code == 403
    assert not Institution.objects.exists()


# --- insurance policy -----------------------------------------------------------------------


POLICY = {"kind": "accident", "insurer": "中国人寿东海支公司", "number": "PICC-2023-0001",
          "starts_on": "2023-01-01", "ends_on": "2023-12-31", "area": COUNTY,
          "premium": "50"}


def test_new_policy(approver: User) -> None:
    page = client_for(approver).get(reverse("eldercare:policy_new"))
    assert page.status_code == 200 and 'name="premium"' in page.content.decode()
    response = post(approver, "policy_new", POLICY)
    policy = InsurancePolicy.objects.get(number="PICC-2023-0001")
    assert response.status_code == 302
    assert response.url == reverse("eldercare:policy", args=[policy.pk])
    assert (policy.kind, policy.area_id, policy.premium) == ("accident", COUNTY,
                                                            Decimal("50.00"))


def test_bad_policy_shows_the_error(approver: User) -> None:
    found = errors(post(approver, "policy_new", {**POLICY, "ends_on": "2022-06-30"}))
    assert "ends_on" in found
    found = errors(post(approver, "policy_new", {**POLICY, "insurer": ""}))
    assert "insurer" in found
    assert not InsurancePolicy.objects.exists()


def test_policy_screen_refused_to_other_roles(clerk: User, county: dict[str, Area]) -> None:
    leader = make_user("leader_c", Role.LEADER, county[COUNTY])
    for user in (clerk, leader):
        client = client_for(user)
        assert client.get(reverse("eldercare:policy_new")).status_code == 403
        assert client.post(reverse("eldercare:policy_new"), POLICY).status_code == 403
    assert not InsurancePolicy.objects.exists()


# --- the buttons on the lists ---------------------------------------------------------------


@pytest.mark.parametrize("role", sorted(permissions.VIEWERS))
def test_new_buttons_only_for_who_may_use_them(county: dict[str, Area], role: str) -> None:
    user = make_user(f"u_{role}", role, county[COUNTY])
    client = client_for(user)
    allowed = permissions.can_manage(user)
    for page, target in (("providers", "provider_new"), ("institutions", "institution_new"),
                         ("policies", "policy_new")):
        response = client.get(reverse(f"eldercare:{page}"))
        assert response.status_code == 200
        assert (reverse(f"eldercare:{target}") in response.content.decode()) == allowed
