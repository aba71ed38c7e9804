"""One guarded change of a record's ``state``: lock the row, refuse when its state does not
allow the change, apply it, save, audit — all in one transaction.

Used by the apps whose records move through simple states (referrals, hotline cases).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction

from safetynet.core import audit

M = TypeVar("M", bound=models.Model)


def change_state(record: M, allowed: Collection[str], change: Callable[[M], None], *,
                 action: str, user: Any, request: Any, refused: str,
                 after: Callable[[M], None] | None = None) -> M:
    """Apply ``change`` to the locked record if its state is in ``allowed``; ``refused`` is
    the message (with ``%(state)s``) when it is not; ``after`` runs once it is saved."""
    with transaction.atomic():
        locked = type(record)._default_manager.select_for_update().get(pk=record.pk)
        if locked.state not in allowed:  # type: ignore[attr-defined]
            raise ValidationError(refused % {"state": locked.get_state_display()},  # type: ignore[attr-defined]
                                  code="transition")
        change(locked)
        locked.save()
        if after is not None:
            after(locked)
        audit.record(action, user=user, request=request, obj=locked,
                     state=locked.state)  # type: ignore[attr-defined]
    return locked
