"""Model fields that keep ID, card and phone numbers encrypted, found by a blind index.

``EncryptedCharField`` stores ciphertext and gives plaintext in Python. Its ``exact`` and
``in`` lookups are rewritten to the companion ``BlindIndexField``, so ``filter(id_number=x)``
keeps working; any other lookup (``startswith`` …) is refused, since ciphertext has no order.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldError
from django.db import models
from django.db.models.expressions import Col
from django.db.models.lookups import Exact, In

from safetynet.core import crypto


class EncryptedCharField(models.CharField):
    def __init__(self, *args: Any, index_field: str = "", **kwargs: Any) -> None:
        self.index_field = index_field
        self.plain_max_length = kwargs.pop("plain_max_length", kwargs.get("max_length", 32))
        kwargs["max_length"] = 255
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["index_field"] = self.index_field
        kwargs["plain_max_length"] = self.plain_max_length
        kwargs.pop("max_length", None)
        return name, path, args, kwargs

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "" or not crypto.is_ciphertext(value):
            return value
        return crypto.decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "" or crypto.is_ciphertext(str(value)):
            return value
        return crypto.encrypt(str(value))

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name in ("exact", "in"):
            return {"exact": BlindExact, "in": BlindIn}[lookup_name]
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        raise FieldError(f"{self.name} is encrypted: only exact, in and isnull lookups work")

    def formfield(self, **kwargs: Any) -> Any:  # type: ignore[override]
        return super().formfield(**{"max_length": self.plain_max_length, **kwargs})


class _BlindLookupMixin:
    """Compare the blind index column with the index of the looked-up value(s)."""

    lhs: Any
    rhs: Any

    def _index_col(self) -> Col:
        field = self.lhs.target
        index = field.model._meta.get_field(field.index_field)
        return Col(self.lhs.alias, index, index)

    def _index_value(self, value: Any) -> Any:
        return None if value in (None, "") else crypto.blind_index(str(value))


class BlindExact(_BlindLookupMixin, Exact):
    prepare_rhs = False
    can_use_none_as_rhs = True

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        if self.rhs is None:  # blank and null values have no index
            sql, params = compiler.compile(self.lhs)
            return f"{sql} IS NULL", params
        return super().as_sql(compiler, connection)

    def __init__(self, lhs: Any, rhs: Any) -> None:
        super().__init__(lhs, rhs)
        self.rhs = self._index_value(self.rhs)
        self.lhs = self._index_col()


class BlindIn(_BlindLookupMixin, In):
    prepare_rhs = False

    def __init__(self, lhs: Any, rhs: Any) -> None:
        super().__init__(lhs, rhs)
        self.rhs = [self._index_value(v) for v in self.rhs if v not in (None, "")]
        self.lhs = self._index_col()


class BlindIndexField(models.CharField):
    """HMAC of another field's plaintext, recomputed whenever the record is saved."""

    def __init__(self, *args: Any, source: str = "", **kwargs: Any) -> None:
        self.source = source
        kwargs.setdefault("max_length", crypto.INDEX_HEX_CHARS)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        return name, path, args, kwargs

    def pre_save(self, model_instance: models.Model, add: bool) -> str | None:
        plain = getattr(model_instance, self.source)
        value = crypto.blind_index(plain) if plain else None
        setattr(model_instance, self.attname, value)
        return value
