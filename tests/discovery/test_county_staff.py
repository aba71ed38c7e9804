"""County staff (officers and approvers whose areas include the county) import departments'
files and run campaigns; township staff and other roles do not."""

from __future__ import annotations

from safetynet.accounts.roles import Role
from safetynet.discovery import permissions
from tests.conftest import COUNTY, make_user


def test_is_county_staff_needs_the_role_and_the_county(approver, county_officer, officer,
                                                       clerk, county) -> None:
    assert permissions.is_county_staff(approver) and permissions.is_county_staff(county_officer)
    assert not permissions.is_county_staff(officer)  # a township's officer
    assert not permissions.is_county_staff(clerk)
    leader = make_user("leader_c", Role.LEADER, county[COUNTY])
    assert not permissions.is_county_staff(leader)
