"""The demo county comes with August 2022 home care: orders, visits with shortfalls, a
statement to compute, institutions, modifications and insurance rosters."""

from __future__ import annotations

from datetime import date

import pytest

from safetynet.accounts.models import User
from safetynet.eldercare import compliance, services
from safetynet.eldercare.models import (
    Cover,
    ModificationPlan,
    Provider,
    ServiceOrder,
    Stay,
    Visit,
)
from safetynet.eldercare.selectors import assessments_due, month_compliance, worker_orders
from tests.demo.test_commands import run
from tests.eldercare.conftest import AUGUST

pytestmark = pytest.mark.django_db


def test_demo_has_a_month_of_home_care_with_shortfalls() -> None:
    run("demo")
    assert Provider.objects.count() == 2
    orders = ServiceOrder.objects.filter(month=AUGUST)
    assert orders.count() > 0
    assert Visit.objects.exclude(flags=[]).exists()
    worker = User.objects.get(username="provider")
    assert worker_orders(worker, AUGUST)
    approver = User.objects.get(username="approver")
    report = month_compliance(approver, AUGUST)
    reasons = {r for row in report.rows for r in row.outcome.reasons}
    assert compliance.NO_VISIT in reasons and report.total.compliant > 0
    statement = services.compute_statement(None, provider=Provider.objects.first(),
                                           month=AUGUST)
    assert 0 < statement.compliant < statement.orders
    assert Stay.objects.exists() and ModificationPlan.objects.exists()
    assert Cover.objects.exists()
    officer = User.objects.get(username="officer")
    due = assessments_due(officer, date(2022, 12, 31))
    assert all(a.person.ability_grade == a.grade for a in due)
    run("demo", "--if-missing")
    assert Provider.objects.count() == 2
