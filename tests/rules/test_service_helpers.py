"""The rules' smaller service functions: parameter names and the areas a job covers."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from safetynet.accounts.roles import Role
from safetynet.core.actor import Actor
from safetynet.rules import services
from safetynet.rules.parameters import current_parameters
from tests.conftest import TOWN_A, make_user


def test_split_name_separates_a_keyed_parameter_from_its_key(db) -> None:
    params = current_parameters()
    assert services.split_name(params, "dibao.standard.urban") == ("dibao.standard", "urban")
    assert services.split_name(params, "dibao.gradual_exit_months") == (
        "dibao.gradual_exit_months", "")
    for unknown in ("dibao.standard.suburban", "dibao.nothing", "gradual_exit_months.x"):
        with pytest.raises(ValidationError) as refused:
            services.split_name(params, unknown)
        assert "parameter" in refused.value.message_dict


def test_job_scope_is_the_users_areas(officer, county) -> None:
    assert services.job_scope(None) == []
    assert services.job_scope(Actor.of(officer)) == [TOWN_A]
    nowhere = make_user("officer_x", Role.OFFICER)
    with pytest.raises(PermissionDenied):
        services.job_scope(Actor.of(nowhere))
