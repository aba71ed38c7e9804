"""A demo workflow, scanned: no page, API response, export or log line shows a full ID number."""

from __future__ import annotations

import io
import logging
import re
from datetime import date

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from safetynet.core.actor import Actor
from safetynet.registry import services
from tests.conftest import make_household, new_id

FULL_ID = re.compile(r"(?<![0-9])\d{17}[\dXx](?![0-9])")


def full_ids(text: str, known: set[str]) -> set[str]:
    return {match for match in FULL_ID.findall(text) if match.upper() in known}


@pytest.fixture
def workflow(clerk):
    households = [make_household(clerk, name=f"户主{i}", members=2) for i in range(3)]
    services.add_person(Actor.of(clerk), households[0], {
        "name": "新成员", "id_number": new_id(date(1960, 5, 5)), "relation": "parent"})
    return households


def test_pages_api_exports_and_logs_show_no_full_id_numbers(client, clerk, workflow,
                                                            caplog) -> None:
    from safetynet.registry.models import Person

    known = {p.id_number for p in Person.objects.exclude(id_number=None)}
    caplog.set_level(logging.DEBUG)
    client.force_login(clerk)
    outputs: list[str] = []
    for household in workflow:
        outputs.append(client.get(reverse("registry:household", args=[household.pk]))
                       .content.decode())
        outputs.append(client.get(f"/api/v1/registry/households/{household.pk}")
                       .content.decode())
    for text in ["户主", *sorted(known)[:3]]:
        outputs.append(client.post(reverse("registry:search"), {"q": text}).content.decode())
        outputs.append(client.get("/api/v1/registry/persons", {"q": text}).content.decode())
    outputs.append(client.get("/api/v1/registry/households").content.decode())
    outputs.append(client.get(reverse("home")).content.decode())
    export = client.get(reverse("registry:export"), {"download": "1"})
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(export.streaming_content)))
    outputs.append(str(workbook.get_sheet_by_index(0).to_python()))
    outputs.append(caplog.text)
    leaks = set().union(*(full_ids(text, known) for text in outputs))
    assert not leaks
    assert re.search(r"\d{6}\*{8}", outputs[0])  # the scan looks at real, masked output
