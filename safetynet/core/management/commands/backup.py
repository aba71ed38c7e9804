"""`safetynet backup [--out FILE]`: an encrypted, consistent backup of data and uploads."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from safetynet.core import backup


class Command(BaseCommand):
    help = ("Write an encrypted (AES-256-GCM), consistent backup of the database and of the "
            "uploaded files, with a manifest of row counts and checksums.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", help="the file to write (default: "
                            "VAR_DIR/backups/safetynet-<date>-<time>.snbk)")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["out"]) if options["out"] else backup.default_path()
        try:
            manifest = backup.create(path)
        except (backup.BackupError, OSError, DatabaseError) as exc:
            raise CommandError(f"backup failed: {exc}") from exc
        tables = manifest["tables"]
        media = manifest["media"]
        self.stdout.write(f"backup written to {path}: {sum(tables.values())} rows in "
                          f"{len(tables)} tables, {media['files']} media files "
                          f"({media['bytes']} bytes)")
