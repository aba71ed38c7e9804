"""The new-application form as a first-time clerk or village worker meets it: the channel
defaults by role and survives the type-change refresh; children under 14 are masked in
every list of persons of the single window, as on the household page."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from safetynet.accounts.models import User
from safetynet.accounts.roles import Role
from safetynet.core.actor import Actor
from safetynet.intake.models import Application, Channel, Kind
from safetynet.registry import services as registry
from safetynet.registry.models import Household
from tests.conftest import VILLAGE_A, client_for, make_household, make_user, new_id
from tests.intake.conftest import apply


def _with_young_child(actor: User) -> Household:
    household = make_household(actor, name="李大", id_number=new_id(date(1980, 3, 3)))
    registry.add_person(Actor.of(actor), household, {
        "name": "李小宝", "id_number": new_id(date.today().replace(year=date.today().year - 6,
                                                                     month=1, day=1)),
        "relation": "child"})
    return household


def test_village_worker_channel_defaults_to_the_phone(village_worker: User,
                                                      household: Household) -> None:
    page = client_for(village_worker).get(reverse("intake:new", args=[household.pk]))
    assert page.context["form"]["channel"].value() == Channel.VILLAGE
    assert 'value="village" selected' in page.content.decode()


def test_clerk_channel_defaults_to_the_window(clerk: User, household: Household) -> None:
    page = client_for(clerk).get(reverse("intake:new", args=[household.pk]))
    assert page.context["form"]["channel"].value() == Channel.WINDOW


def test_type_change_refresh_leaves_the_channel_alone(village_worker: User,
                                                      household: Household) -> None:
    """The refresh answers only the type's own fields: no channel, applicant or reason
    that could overwrite a choice made while it was on its way."""
    client = client_for(village_worker)
    url = reverse("intake:new", args=[household.pk])
    partial = client.post(url, {"kind": Kind.TEMPORARY_EMERGENCY, "channel": "window"},
                          HTTP_HX_REQUEST="true")
    html = partial.content.decode()
    assert 'name="months"' in html and 'name="requested_amount"' in html
    assert 'name="channel"' not in html and 'name="applicant"' not in html
    assert 'name="reason"' not in html
    page = client.get(url).content.decode()
    assert 'hx-target="#type-fields"' in page and 'id="type-fields"' in page


def test_the_channel_chosen_is_registered(village_worker: User, household: Household) -> None:
    head = household.members.order_by("pk")[0]
    client_for(village_worker).post(reverse("intake:new", args=[household.pk]), {
        "kind": Kind.DIBAO, "applicant": head.pk, "channel": Channel.WINDOW,
        "reason": "无收入"})
    assert Application.objects.get().channel == Channel.WINDOW  # the choice, not the default


def test_child_under_14_masked_in_the_applicant_list(village_worker: User) -> None:
    household = _with_young_child(village_worker)
    page = client_for(village_worker).get(reverse("intake:new", args=[household.pk]))
    html = page.content.decode()
    assert "李大" in html
    assert "李小宝" not in html
    assert "不满14周岁儿童" in html or "a child under 14" in html
    labels = [label for _value, label in page.context["form"].fields["applicant"].choices]
    assert any("李大" in str(label) for label in labels)
    assert not any("李小宝" in str(label) for label in labels)


def test_child_worker_sees_the_child_named(county: dict) -> None:
    child_director = make_user("childdir_f", Role.CHILD_DIRECTOR, county[VILLAGE_A])
    household = _with_young_child(child_director)
    page = client_for(child_director).get(reverse("intake:new", args=[household.pk]))
    assert "李小宝" in page.content.decode()


def test_child_applicant_masked_in_lists_and_action_pages(clerk: User) -> None:
    household = _with_young_child(clerk)
    child = household.members.get(name="李小宝")
    app = apply(clerk, household, kind=Kind.CHILD_REGISTRATION)
    Application.objects.filter(pk=app.pk).update(applicant=child)
    client = client_for(clerk)
    for url in (reverse("intake:home") + "?show=all", reverse("intake:detail", args=[app.pk]),
                reverse("intake:act", args=[app.pk, "accept"])):
        html = client.get(url).content.decode()
        assert app.number in html or "accept" in url
        assert "李小宝" not in html, url
