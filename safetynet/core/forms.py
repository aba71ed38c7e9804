"""Glue between forms and service functions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.forms import BaseForm


def apply_service(form: BaseForm, action: Callable[[], Any]) -> Any:
    """Run a service; copy its field errors onto the form. Returns None on failure."""
    try:
        return action()
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc.messages)
    return None
