"""Two clerks submitting the same application at the same moment: the database, not just
the code, keeps it to one open application."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction

from safetynet.accounts.models import User
from safetynet.core.actor import Actor
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


@pytest.mark.django_db(transaction=True)
def test_an_action_does_not_lock_the_village_row(clerk: User, household: Household) -> None:
    """take_action locks the application, not its area: another transaction holding the
    village's row (as a foreign-key check of any new record there does, FOR KEY SHARE)
    must not hold it up. Locking the area too deadlocked with the audit chain under load."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    app = apply(clerk, household)
    holding, done = threading.Event(), threading.Event()

    def hold_area() -> None:
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SELECT 1 FROM core_area WHERE code = %s FOR KEY SHARE",
                               [app.area_id])
                holding.set()
                done.wait(10)
        finally:
            connections.close_all()

    thread = threading.Thread(target=hold_area)
    thread.start()
    try:
        assert holding.wait(10)
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '2s'")
        accepted = applications.take_action(Actor.of(clerk), app, "accept", {})
    finally:
        done.set()
        thread.join()
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = 0")
    assert accepted.state == "accepted"
