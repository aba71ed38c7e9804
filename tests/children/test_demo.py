"""The demo county comes with children to follow: left-behind children registered in the
demo village, some confirmations missing, some visits overdue, and hotline cases."""

from __future__ import annotations

import pytest

from safetynet.accounts.models import User
from safetynet.children import selectors
from safetynet.children.models import ChildProfile, HotlineCase
from safetynet.children.services import common
from safetynet.core.worklist import work_list_for
from tests.demo.test_commands import run

pytestmark = pytest.mark.django_db


def test_demo_child_director_finds_work() -> None:
    run("demo")
    director = User.objects.get(username="childdir")
    today = common.today()
    assert selectors.in_category(selectors.followed(director), "left_behind").exists()
    assert selectors.overdue_visits(director, today).exists()
    assert selectors.missing_guardianship(director).exists()
    assert HotlineCase.objects.filter(responsible=director).count() == 2
    assert work_list_for(director)
    count = ChildProfile.objects.count()
    run("demo", "--if-missing")
    assert ChildProfile.objects.count() == count
