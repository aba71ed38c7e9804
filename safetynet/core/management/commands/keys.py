"""`safetynet keys rotate [--index]` and `safetynet keys generate`.

With keys in the environment, put the new data key first in SAFETYNET_DATA_KEYS (keep the
old one after it), run `keys rotate`, then remove the old key. For the blind-index key,
set the new SAFETYNET_INDEX_KEY and run `keys rotate --index` (indexes are recomputed from
the decrypted values). Outside production the key file var/keys.json is updated for you.
"""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from safetynet.core import audit, crypto, keys


class Command(BaseCommand):
    help = "Rotate the data-encryption key or the blind-index key; generate a new key."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        rotate = sub.add_parser("rotate")
        rotate.add_argument("--index", action="store_true", help="rotate the blind-index key")
        sub.add_parser("generate")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "generate":
            self.stdout.write(crypto.new_key())
            return
        from_env = bool(os.environ.get("SAFETYNET_DATA_KEYS"))
        if options["index"]:
            if not from_env:
                keys.new_index_key_in_file()
        elif not from_env:
            keys.rotate_key_file()
        count = keys.reencrypt_all()
        if not from_env and not options["index"]:
            keys.drop_old_keys_from_file()
        audit.record("key_rotation", username="system", index=options["index"], rows=count)
        self.stdout.write(f"re-encrypted {count} records with key {crypto.keyring().current[0]}")
