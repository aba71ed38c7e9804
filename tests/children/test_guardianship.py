"""Delegated-guardianship confirmations and coverage by village and township."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from safetynet.children import selectors
from safetynet.children.services import common, guardianship
from safetynet.core.actor import Actor
from tests.children.conftest import add_child, register, years_ago
from tests.conftest import VILLAGE_A, VILLAGE_A2, make_household

SIGNED = {"signed_on": date(2022, 3, 1), "signed_by": "王父", "signer_relation": "父亲",
          "guardian_name": "王奶奶", "guardian_relation": "祖母", "guardian_phone": "13800001111"}
PDF = b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_confirmation_is_recorded_with_its_scan(director, family, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    child = register(director, add_child(director, family, years_ago(9)))
    scan = SimpleUploadedFile("确认书.pdf", PDF, content_type="application/pdf")
    confirmation = guardianship.record_confirmation(Actor.of(director), child, SIGNED, scan=scan)
    child.refresh_from_db()
    assert child.guardianship_signed_on == date(2022, 3, 1)
    assert confirmation.scan.name.endswith(".pdf") and "确认书" not in confirmation.scan.name
    assert confirmation.guardian_phone == "13800001111"


def test_confirmation_names_the_missing_field(director, family) -> None:
    child = register(director, add_child(director, family, years_ago(9)))
    with pytest.raises(ValidationError) as err:
        guardianship.record_confirmation(Actor.of(director), child,
                                         {**SIGNED, "guardian_name": " "})
    assert "guardian_name" in err.value.message_dict
    bad = SimpleUploadedFile("x.exe", b"MZ....", content_type="application/pdf")
    with pytest.raises(ValidationError) as err:
        guardianship.record_confirmation(Actor.of(director), child, SIGNED, scan=bad)
    assert "scan" in err.value.message_dict


def test_coverage_counts_by_village_and_township(director, supervisor, clerk, county) -> None:
    director.areas.add(county[VILLAGE_A2])
    east = make_household(clerk, VILLAGE_A, name="东户")
    town = make_household(clerk, VILLAGE_A2, name="城户")
    long_ago = common.today() - timedelta(days=200)
    a = register(director, add_child(director, east, years_ago(8), name="甲"),
                 registered_on=long_ago)
    register(director, add_child(director, east, years_ago(9), name="乙"))
    c = register(director, add_child(director, town, years_ago(10), name="丙"))
    register(director, add_child(director, town, years_ago(11), name="丁"),
             father_status="at_home")  # in no category: not counted
    guardianship.record_confirmation(Actor.of(director), a, SIGNED)
    guardianship.record_confirmation(Actor.of(director), c, SIGNED)

    rows = selectors.coverage(supervisor, common.today())
    assert len(rows) == 1
    township = rows[0]
    assert (township.children, township.signed, township.unsigned) == (3, 2, 1)
    assert township.percent == 66 and township.overdue == 1 and township.left_behind == 3
    villages = {v.code: (v.children, v.signed, v.percent, v.overdue) for v in township.villages}
    assert villages == {VILLAGE_A: (2, 1, 50, 1), VILLAGE_A2: (1, 1, 100, 0)}
    assert [m.person.name for m in selectors.missing_guardianship(supervisor)] == ["乙"]


def test_coverage_is_limited_to_the_users_areas(director, county, clerk) -> None:
    from tests.conftest import VILLAGE_B, make_user

    other = make_user("childdir_b", "childdir", county[VILLAGE_B])
    west = make_household(clerk, VILLAGE_A, name="西户")
    register(director, add_child(director, west, years_ago(8)))
    assert selectors.coverage(other, common.today()) == []
    assert not selectors.children_for(other).exists()
