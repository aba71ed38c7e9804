"""Compile every .po catalogue to .mo in pure Python (no GNU gettext needed)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polib  # type: ignore[import-untyped]
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Compile the zh-Hans and en message catalogues (.po → .mo)."

    def handle(self, *args: Any, **options: Any) -> None:
        for locale_dir in settings.LOCALE_PATHS:
            for po_path in Path(locale_dir).glob("*/LC_MESSAGES/*.po"):
                polib.pofile(str(po_path)).save_as_mofile(str(po_path.with_suffix(".mo")))
                self.stdout.write(f"compiled {po_path}")
