"""Fixtures of the active-discovery tests: county staff, a village worker, a household,
and a helper that imports a department's file through the real pipeline."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase

from safetynet.accounts.models import User
from safetynet.core.actor import Actor
from safetynet.discovery import jobs, matching
from safetynet.discovery.models import SourceImport
from safetynet.discovery.sources import layout
from safetynet.registry.models import Household, IncomeItem, Person
from tests.conftest import make_household, new_id


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"





@pytest.fixture
def household(clerk: User) -> Household:
    """Two adults (head born 1980), the head earning 1,000 yuan a month."""
    home = make_household(clerk, members=1, id_number=new_id(date(1980, 5, 5)))
    IncomeItem.objects.create(person=head(home), kind="wages", monthly_amount=1000)
    return home


def head(home: Household) -> Person:
    return home.members.get(relation="head")


def csv_file(source: str, rows: list[dict[str, Any]], name: str = "data.csv") -> Any:
    buffer = io.StringIO()
    matching.write_csv_layout(layout(source), rows, buffer)
    return SimpleUploadedFile(name, buffer.getvalue().encode("utf-8"), "text/csv")


def upload(actor: User, source: str, file: Any) -> SourceImport:
    with TestCase.captureOnCommitCallbacks(execute=True):
        job = jobs.start_import(Actor.of(actor), source, file)
    job.refresh_from_db()
    return job


def import_rows(actor: User, source: str, rows: list[dict[str, Any]],
                name: str = "data.csv") -> SourceImport:
    """Upload and run (the test task backend runs tasks at once, after the commit)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        job = jobs.start_import(Actor.of(actor), source, csv_file(source, rows, name))
    job.refresh_from_db()
    return job
