"""`safetynet seed --scale X --seed N`: the synthetic county's areas and people."""

from __future__ import annotations

from typing import Any

from safetynet.demo.cli import CountyCommand


class Command(CountyCommand):
    help = "Generate the synthetic county (areas, households, persons); no logins."

    def handle(self, *args: Any, **options: Any) -> None:
        self.build(options)
