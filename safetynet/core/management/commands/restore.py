"""`safetynet restore FILE [--force] [--check]`: bring a backup back, verified."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from safetynet.core import backup


class Command(BaseCommand):
    help = ("Restore a backup written by `safetynet backup` into a migrated database: "
            "decrypt and authenticate it, load every table in one transaction, restore the "
            "uploaded files, and check each table's row count and checksum.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the backup file (.snbk)")
        parser.add_argument("--force", action="store_true",
                            help="replace the data of a database that is not empty")
        parser.add_argument("--check", action="store_true",
                            help="only decrypt, authenticate and summarise the backup; "
                                 "change nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            if options["check"]:
                self._check(path)
            else:
                self._restore(path, options["force"])
        except (backup.BackupError, OSError, DatabaseError) as exc:
            raise CommandError(f"restore failed: {exc}") from exc

    def _check(self, path: Path) -> None:
        with backup.opened(path, backup.load_key()) as (_tar, manifest):
            tables, media = manifest["tables"], manifest.get("media", {})
            self.stdout.write(f"{path}: authentic backup of {manifest['created_at']} "
                              f"({manifest['database']}), {sum(tables.values())} rows in "
                              f"{len(tables)} tables, {media.get('files', 0)} media files")
            for table, rows in sorted(tables.items()):
                self.stdout.write(f"  {table:<44} {rows:>10}")

    def _restore(self, path: Path, force: bool) -> None:
        result = backup.restore(path, force=force)
        for check in result.checks:
            mark = "ok" if check.ok else "DIFFERS"
            self.stdout.write(f"  {check.table:<44} {check.expected:>10} {check.restored:>10} "
                              f"{mark}")
        if result.replaced:
            self.stdout.write(f"replaced the data in: {', '.join(result.replaced)}")
        self.stdout.write(self.style.SUCCESS(
            f"restored {result.rows} rows in {len(result.checks)} tables and "
            f"{result.media_files} media files from the backup of "
            f"{result.manifest['created_at']}; every row count and checksum matches the "
            "manifest"))
