from django.urls import reverse

from safetynet.accounts.roles import Role
from safetynet.core import audit
from safetynet.core.models import AuditEvent
from tests.conftest import COUNTY, login_verified, make_user


def test_audit_admin_searches_and_exports_the_log(client, county) -> None:
    auditor = make_user("aud", Role.AUDITADMIN, county[COUNTY])
    audit.record("reveal", username="x", object_id="42")
    audit.record("login", username="y")
    login_verified(client, auditor)
    page = client.get(reverse("accounts:audit"), {"action": "reveal"}).content.decode()
    assert "reveal" in page and ">y<" not in page
    response = client.get(reverse("accounts:audit_export"), {"action": "reveal"})
    body = b"".join(response.streaming_content).decode()
    assert "reveal" in body and body.count("\n") == 2
    assert AuditEvent.objects.filter(action="export", username="aud").exists()


def test_other_roles_cannot_read_the_audit_log(client, county, clerk) -> None:
    for user in (clerk, make_user("sys", Role.SYSADMIN, county[COUNTY])):
        login_verified(client, user)
        assert client.get(reverse("accounts:audit")).status_code == 403
        assert client.get(reverse("accounts:audit_export")).status_code == 403


def test_audit_admin_work_list_counts_recent_failures(client, county) -> None:
    audit.record("login", username="x", result="fail")
    login_verified(client, make_user("aud", Role.AUDITADMIN, county[COUNTY]))
    page = client.get(reverse("home")).content.decode()
    assert '<span class="count">1</span>' in page
