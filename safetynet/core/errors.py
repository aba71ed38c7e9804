"""Errors raised by service functions, understood by views and the API alike."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError

__all__ = ["PermissionDenied", "ValidationError", "field_errors"]


def field_errors(exc: ValidationError) -> list[dict[str, str]]:
    """Flatten a ValidationError into [{field, message}] for JSON and reports."""
    if hasattr(exc, "error_dict"):
        return [{"field": field, "message": str(message)}
                for field, errors in exc.error_dict.items()
                for error in errors for message in error.messages]
    return [{"field": "__all__", "message": str(m)} for m in exc.messages]
