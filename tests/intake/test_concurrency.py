"""Two clerks submitting the same application at the same moment: the database, not just
the code, keeps it to one open application."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from safetynet.accounts.models import User
from safetynet.intake.models import Application, Kind
from safetynet.intake.services import applications
from safetynet.registry.models import Household
from tests.intake.conftest import apply


@pytest.mark.django_db(transaction=True)
def test_two_clerks_at_once_create_one_open_application(clerk: User, officer: User,
                                                        household: Household) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs two real connections at once (PostgreSQL)")
    barrier = threading.Barrier(2)
    outcomes: list[Any] = []

    def submit(actor: User) -> None:
        try:
            barrier.wait()
            outcomes.append(apply(actor, Household.objects.get(pk=household.pk)))
        except ValidationError as exc:
            outcomes.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(u,)) for u in (clerk, officer)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Application.objects.count() == 1
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(refused) == 1
    assert Application.objects.get().number in str(refused[0])


def test_the_constraint_holds_even_when_the_check_is_skipped(
        clerk: User, household: Household, monkeypatch: pytest.MonkeyPatch) -> None:
    first = apply(clerk, household)
    # Both clerks passed the code's check before either wrote: only the database can refuse.
    answers = iter([None, first])
    monkeypatch.setattr(applications, "open_duplicate", lambda *args: next(answers))
    with pytest.raises(ValidationError) as exc:
        apply(clerk, household, Kind.DIBAO)
    assert first.number in str(exc.value)
    assert Application.objects.count() == 1
