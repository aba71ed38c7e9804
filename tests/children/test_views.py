"""Screens: phone-friendly lists, privacy (child workers only, audited exports), forms
that name the field at fault, the supervisor's overview, PDFs, and hotline cases."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from safetynet.children.models import HotlineCase, Visit
from safetynet.children.services import common
from safetynet.core.models import AuditEvent
from tests.children.conftest import add_child, register, years_ago
from tests.conftest import VILLAGE_A


@pytest.fixture
def child(director, family):
    return register(director, add_child(director, family, years_ago(9)),
                    registered_on=common.today() - timedelta(days=120))


def test_home_shows_due_visits_and_coverage(client, director, child) -> None:
    client.force_login(director)
    page = client.get(reverse("children:home")).content.decode()
    assert child.person.name in page and "东村" in page


def test_recording_a_visit_empties_the_due_list(client, director, child) -> None:
    client.force_login(director)
    assert child.person.name in client.get(reverse("children:visits")).content.decode()
    response = client.post(reverse("children:visit", args=[child.pk]), {
        "visited_on": common.today().isoformat(), "present": "祖母", "findings": "正常",
        "next": reverse("children:visits")})
    assert response.status_code == 302 and response.url == reverse("children:visits")
    assert Visit.objects.count() == 1
    assert child.person.name not in client.get(reverse("children:visits")).content.decode()


def test_a_bad_visit_names_the_field(client, director, child) -> None:
    client.force_login(director)
    future = (common.today() + timedelta(days=3)).isoformat()
    response = client.post(reverse("children:visit", args=[child.pk]), {
        "visited_on": future, "present": "祖母", "findings": "正常"})
    assert response.status_code == 200
    assert "日期不能晚于今天" in response.content.decode()


@pytest.mark.parametrize("name", ["children:home", "children:list", "children:coverage",
                                  "children:visits"])
def test_children_pages_are_closed_to_other_roles(client, clerk, name) -> None:
    client.force_login(clerk)
    assert client.get(reverse(name)).status_code == 403


def test_a_child_is_not_found_outside_the_users_areas(client, county, child) -> None:
    from tests.conftest import VILLAGE_B, make_user

    other = make_user("childdir_b", "childdir", county[VILLAGE_B])
    client.force_login(other)
    assert client.get(reverse("children:child", args=[child.pk])).status_code == 404


def test_opening_a_record_is_audited(client, director, child) -> None:
    client.force_login(director)
    page = client.get(reverse("children:child", args=[child.pk])).content.decode()
    assert child.person.name in page
    assert AuditEvent.objects.filter(action="children.view", object_id=str(child.pk)).exists()


def test_export_needs_a_reason_and_is_audited(client, supervisor, child) -> None:
    client.force_login(supervisor)
    response = client.post(reverse("children:export"), {"what": "missing", "reason": ""})
    assert response.status_code == 200 and "text/csv" not in response["Content-Type"]
    response = client.post(reverse("children:export"), {"what": "missing",
                                                        "reason": "县局核查委托监护"})
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode("utf-8-sig")
    assert child.person.name in body and child.person.id_number not in body
    event = AuditEvent.objects.get(action="children.export")
    assert event.detail["reason"] == "县局核查委托监护" and event.detail["rows"] == 1


def test_supervisor_sees_villages_with_unsigned_confirmations_and_overdue_visits(
        client, supervisor, child) -> None:
    client.force_login(supervisor)
    page = client.get(reverse("children:coverage")).content.decode()
    assert f'data-village="{VILLAGE_A}"' in page and "⚠ 1" in page
    assert child.person.name in page


def test_guardianship_form_pdf_blank_and_filled(client, director, child) -> None:
    client.force_login(director)
    blank = client.get(reverse("children:blank_form"))
    filled = client.get(reverse("children:form", args=[child.pk]))
    assert blank["Content-Type"] == "application/pdf" and blank.content.startswith(b"%PDF")
    assert filled.content.startswith(b"%PDF")


def test_register_a_child_from_the_household(client, director, family) -> None:
    person = add_child(director, family, years_ago(7), name="王小华")
    client.force_login(director)
    page = client.get(reverse("children:pick"), {"household": family.number}).content.decode()
    assert "王小华" in page
    response = client.post(reverse("children:register", args=[person.pk]), {
        "father_status": "migrant", "mother_status": "disabled", "risk": "low"})
    assert response.status_code == 302
    assert person.child_profile.category_list == ["left_behind"]


def test_household_page_has_a_child_protection_section(client, director, family, child) -> None:
    client.force_login(director)
    page = client.get(reverse("registry:household", args=[family.pk])).content.decode()
    assert 'id="children"' in page


def test_hotline_case_opened_referred_and_closed(client, hotline, director) -> None:
    client.force_login(hotline)
    response = client.post(reverse("children:case_new"), {
        "kind": "complaint", "urgency": "urgent", "child_name": "小红", "child_age": 8,
        "area_code": VILLAGE_A, "what_happened": "孩子经常旷课"})
    assert response.status_code == 302
    case = HotlineCase.objects.get()
    client.force_login(director)
    response = client.post(reverse("children:case_action", args=[case.pk, "refer"]),
                           {"refer-department": "education", "refer-note": "请核查"})
    assert response.status_code == 302
    response = client.post(reverse("children:case_action", args=[case.pk, "close"]),
                           {"close-outcome": ""})
    assert response.status_code == 400
    client.post(reverse("children:case_action", args=[case.pk, "close"]),
                {"close-outcome": "已返校"})
    case.refresh_from_db()
    assert case.state == "closed" and case.department == "education"


def test_work_list_items(director, supervisor, child) -> None:
    from safetynet.core.worklist import work_list_for

    titles = [i.title for i in work_list_for(director)]
    assert any("visit" in t.lower() or "走访" in t for t in titles)
    assert any("guardianship" in t.lower() or "监护" in t for t in titles)


def test_the_list_filters_in_the_database(director, child) -> None:
    """Filters are querysets (paginated by the database), not a 500-row slice filtered
    in Python: "to review" compares the two category columns in SQL."""
    from safetynet.children import selectors
    from safetynet.children.models import ChildProfile

    ChildProfile.objects.filter(pk=child.pk).update(reviewed_categories=",other,")
    today = common.today()
    assert list(selectors.listed(director, "review", "", today)) == [child]
    assert list(selectors.listed(director, "inactive", "", today)) == []
    assert list(selectors.listed(director, "", "", today)) == [child]
    ChildProfile.objects.filter(pk=child.pk).update(reviewed_categories=child.categories)
    assert list(selectors.listed(director, "review", "", today)) == []


def test_the_list_page_shows_the_filtered_children(client, director, child) -> None:
    client.force_login(director)
    page = client.get(reverse("children:list"), {"show": "missing"}).content.decode()
    assert child.person.name in page
    assert client.get(reverse("children:list"), {"show": "bogus"}).status_code == 200
