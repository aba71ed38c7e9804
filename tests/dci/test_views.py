"""Partner-registration pages: administrators register, scope and issue tokens (shown once);
the audit administrator reads; everyone else is refused."""

from __future__ import annotations

from safetynet.accounts.roles import Role
from safetynet.core.models import AuditEvent
from safetynet.dci.models import Partner, PartnerToken
from tests.conftest import TOWN_A, client_for, make_user


def test_sysadmin_registers_a_partner_and_sees_its_token_once(sysadmin, county) -> None:
    client = client_for(sysadmin)
    assert client.get("/interop/partners/new/").status_code == 200
    response = client.post("/interop/partners/new/", {
        "code": "jiaoyu.donghai", "name": "教育局", "department": "education",
        "purpose": "教育资助核对", "field_groups": ["identity", "household"],
        "areas": [TOWN_A], "callback_url": "https://edu.example.org/dci"})
    partner = Partner.objects.get(code="jiaoyu.donghai")
    assert response.status_code == 302
    client.post(f"/interop/partners/{partner.pk}/token/")
    page = client.get(f"/interop/partners/{partner.pk}/").content.decode()
    token = PartnerToken.objects.get(partner=partner)
    raw = page.split("<code>dci_")[1].split("</code>")[0]
    assert token.prefix[4:] in raw
    assert "dci_" + raw not in client.get(f"/interop/partners/{partner.pk}/").content.decode()
    client.post(f"/interop/partners/{partner.pk}/token/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_the_edit_page_changes_scope(sysadmin, partner) -> None:
    client = client_for(sysadmin)
    assert client.get(f"/interop/partners/{partner.pk}/edit/").status_code == 200
    client.post(f"/interop/partners/{partner.pk}/edit/", {
        "code": partner.code, "name": partner.name, "purpose": "x", "field_groups": ["vital"],
        "areas": [TOWN_A]})
    partner.refresh_from_db()
    assert partner.field_groups == ["vital"]


def test_auditor_reads_the_query_audit_but_cannot_change(partner, county) -> None:
    AuditEvent.objects.create(action="dci_search", object_type="dci.partner",
                              object_id=str(partner.pk), detail={"purpose": "核对",
                                                                 "count": 3},
                              at="2026-01-01T00:00:00Z", hash="x", prev_hash="y")
    client = client_for(make_user("audit_t", Role.AUDITADMIN))
    page = client.get(f"/interop/partners/{partner.pk}/").content.decode()
    assert "核对" in page and "dci_search" in page
    assert client.get("/interop/partners/").status_code == 200
    assert client.post(f"/interop/partners/{partner.pk}/token/").status_code == 403


def test_other_roles_are_refused(clerk, partner) -> None:
    client = client_for(clerk)
    assert client.get("/interop/partners/").status_code == 403
    assert client.get(f"/interop/partners/{partner.pk}/").status_code == 403


def test_the_partner_pages_are_chinese(sysadmin, partner, token) -> None:
    from tests.core.test_chinese_ui import parameter_english, problems, untranslated_msgids

    client = client_for(sysadmin)
    msgids, english = untranslated_msgids(), parameter_english()
    for url in ("/interop/partners/", f"/interop/partners/{partner.pk}/",
                f"/interop/partners/{partner.pk}/edit/", "/interop/partners/new/"):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
        assert problems(page, msgids, english) == [], url
