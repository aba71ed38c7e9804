"""Job starters: the service's change first, the task only once it has committed; a
refused change queues nothing and stores nothing."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase

from safetynet.core.actor import Actor
from safetynet.discovery import jobs, services
from safetynet.discovery.models import Campaign, ImportStatus, SourceImport
from tests.conftest import COUNTY, TOWN_B
from tests.discovery.conftest import csv_file, head


def test_a_file_is_kept_and_matched_only_after_the_commit(county_officer: Any,
                                                          household: Any) -> None:
    rows = [{"id_number": head(household).id_number, "name": head(household).name,
             "settled_on": "2022-08-01", "out_of_pocket": "1000", "total_cost": "3000"}]
    with TestCase.captureOnCommitCallbacks() as queued:
        job = jobs.start_import(Actor.of(county_officer), "medical", csv_file("medical", rows))
    assert SourceImport.objects.get().status == ImportStatus.PENDING and len(queued) == 1
    queued[0]()
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.total_rows == 1


def test_receive_import_refuses_other_roles_and_file_types(clerk: Any,
                                                           county_officer: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.receive_import(Actor.of(clerk), "medical", csv_file("medical", []))
    with pytest.raises(ValidationError) as refused:
        services.receive_import(Actor.of(county_officer),
                                "medical", csv_file("medical", [], "a.pdf"))
    assert "file" in refused.value.message_dict
    with pytest.raises(ValidationError) as unknown:
        services.receive_import(Actor.of(county_officer), "bank", csv_file("medical", []))
    assert "source" in unknown.value.message_dict
    assert not SourceImport.objects.exists()


def test_create_campaign_refuses_an_area_outside_the_jurisdiction(county_officer: Any,
                                                                  clerk: Any) -> None:
    fields = {"name": "排查", "area_code": "999999", "starts_on": date(2022, 3, 1),
              "ends_on": date(2022, 4, 1), "categories": ["dibao"]}
    with pytest.raises(ValidationError) as refused:
        services.create_campaign(Actor.of(county_officer), fields)
    assert "area_code" in refused.value.message_dict
    with pytest.raises(PermissionDenied):
        services.create_campaign(Actor.of(clerk), {**fields, "area_code": TOWN_B})
    with TestCase.captureOnCommitCallbacks() as queued:
        campaign = jobs.start_campaign(Actor.of(county_officer), {**fields, "area_code": COUNTY})
    assert Campaign.objects.get() == campaign and len(queued) == 1
