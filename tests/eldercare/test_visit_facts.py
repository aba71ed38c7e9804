"""What the compliance rules read of a recorded visit."""

from __future__ import annotations

from safetynet.eldercare import services
from tests.eldercare.conftest import at, record


def test_visit_facts_are_the_recorded_visit(worker, order) -> None:
    visit = record(worker, order, at(3), minutes=45)
    facts = services.visit_facts(visit)
    assert (facts.visit_id, facts.worker_id, facts.person_id) == (
        visit.pk, worker.pk, order.person_id)
    assert facts.minutes == 45 and facts.value == visit.value and facts.confirmed
    unconfirmed = services.visit_facts(record(worker, order, at(4), confirmation="none"))
    assert not unconfirmed.confirmed
