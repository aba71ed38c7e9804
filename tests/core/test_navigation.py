"""Every role sees only the modules it may open: each menu link answers 200 (after the
redirect a module makes for some roles), and a module left out of the menu answers 403
(issue #22). The menu and the first page of a module ask the same predicate."""

from __future__ import annotations

import re
from typing import Any

import pytest

from safetynet.accounts.roles import Department, Role
from safetynet.core import navigation, worklist
from tests.conftest import COUNTY, client_for, make_user

NAV = re.compile(r'<nav class="modules".*?</nav>', re.S)


def staff(county: dict[str, Any], role: str) -> Any:
    user = make_user(f"user_{role}", role, county[COUNTY])
    if role == Role.PARTNER:
        user.department = Department.HEALTH_INSURANCE
        user.save()
    return user


def menu_links(client: Any) -> list[str]:
    found = NAV.search(client.get("/").content.decode())
    return re.findall(r'href="([^"]+)"', found.group(0)) if found else []


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_every_menu_link_opens_and_every_other_module_is_refused(county: Any,
                                                                  role: str) -> None:
    user = staff(county, role)
    client = client_for(user)
    links = menu_links(client)
    assert links, "every role has at least its work list"
    for link in links:
        assert client.get(link, follow=True).status_code == 200, link
    for module in navigation.modules():
        if module.url not in links:
            assert client.get(module.url, follow=True).status_code == 403, module.url


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_every_work_list_link_opens(county: Any, role: str) -> None:
    user = staff(county, role)
    client = client_for(user)
    for item in worklist.work_list_for(user):
        assert client.get(item.url, follow=True).status_code == 200, item.url


def test_the_menu_follows_the_predicates(county: Any) -> None:
    clerk = staff(county, Role.CLERK)
    keys = [m.key for m in navigation.modules_for(clerk)]
    assert "registry" in keys and "payments" not in keys and "children" not in keys
    leader = staff(county, Role.LEADER)
    assert {"reports", "payments"} <= {m.key for m in navigation.modules_for(leader)}
    assert navigation.modules_for(None) == []
