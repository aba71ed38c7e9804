"""Key rotation: re-encrypt every encrypted field, recompute every blind index."""

from __future__ import annotations

import json
from collections.abc import Iterator

from django.apps import apps
from django.db import models, transaction

from safetynet.core import crypto
from safetynet.core.fields import BlindIndexField, EncryptedCharField

BATCH = 2000


def encrypted_models() -> Iterator[tuple[type[models.Model], list[EncryptedCharField]]]:
    for model in apps.get_models():
        fields = [f for f in model._meta.fields if isinstance(f, EncryptedCharField)]
        if fields:
            yield model, fields


def _batches(model: type[models.Model]) -> Iterator[list[models.Model]]:
    pk = model._meta.pk.attname  # type: ignore[union-attr]
    last = None
    while True:
        rows = model._default_manager.order_by(pk)
        if last is not None:
            rows = rows.filter(**{f"{pk}__gt": last})
        batch = list(rows[:BATCH])
        if not batch:
            return
        yield batch
        last = getattr(batch[-1], pk)


def reencrypt_all() -> int:
    """Write every encrypted value again with the current key (and refresh its index)."""
    count = 0
    for model, fields in encrypted_models():
        names = [f.name for f in fields] + [f.index_field for f in fields]
        for batch in _batches(model):
            with transaction.atomic():
                for row in batch:
                    _refresh_indexes(row, fields)
                model._default_manager.bulk_update(batch, names)
            count += len(batch)
    return count


def _refresh_indexes(row: models.Model, fields: list[EncryptedCharField]) -> None:
    for field in fields:
        index = row._meta.get_field(field.index_field)
        assert isinstance(index, BlindIndexField)
        index.pre_save(row, add=False)


def rotate_key_file() -> str:
    """Outside production: add a new current key to var/keys.json, keep the old ones."""
    path = crypto.key_file()
    stored = json.loads(path.read_text())
    ids = [item.split(":", 1)[0] for item in stored["data_keys"]]
    new_id = f"k{max(int(i[1:]) for i in ids if i[1:].isdigit()) + 1}"
    stored["data_keys"].insert(0, f"{new_id}:{crypto.new_key()}")
    path.write_text(json.dumps(stored))
    crypto.reset_cache()
    return new_id


def drop_old_keys_from_file() -> None:
    path = crypto.key_file()
    stored = json.loads(path.read_text())
    stored["data_keys"] = stored["data_keys"][:1]
    path.write_text(json.dumps(stored))
    crypto.reset_cache()


def new_index_key_in_file() -> None:
    path = crypto.key_file()
    stored = json.loads(path.read_text())
    stored["index_key"] = crypto.new_key()
    path.write_text(json.dumps(stored))
    crypto.reset_cache()
