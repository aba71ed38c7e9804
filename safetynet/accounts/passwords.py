"""Password rules of a level-3 protected system: 8+ characters, 3 of 4 classes, not the name."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CLASSES = (r"[a-z]", r"[A-Z]", r"\d", r"[^A-Za-z\d]")
MIN_LENGTH = 8
MIN_CLASSES = 3


class ComplexityValidator:
    def validate(self, password: str, user: Any = None) -> None:
        if len(password) < MIN_LENGTH:
            raise ValidationError(_("The password needs at least %(n)d characters.")
                                  % {"n": MIN_LENGTH}, code="password_too_short")
        if sum(bool(re.search(c, password)) for c in CLASSES) < MIN_CLASSES:
            raise ValidationError(_("The password needs at least three of: lower-case letters, "
                                    "upper-case letters, digits, symbols."),
                                  code="password_too_simple")
        username = getattr(user, "username", "") if user is not None else ""
        if username and password.lower() == username.lower():
            raise ValidationError(_("The password must not be the username."),
                                  code="password_is_username")

    def get_help_text(self) -> str:
        return _("At least 8 characters with three of: lower-case letters, upper-case letters, "
                 "digits, symbols; not the username.")
