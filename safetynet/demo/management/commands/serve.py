"""`safetynet serve`: the web server plus the background-job worker, for the demo."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve SafetyNet at 127.0.0.1:PORT with a background-job worker beside it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args: Any, **options: Any) -> None:
        port = options["port"]
        worker = subprocess.Popen([sys.executable, "-m", "safetynet.manage", "db_worker"])
        try:
            self.stdout.write(f"\nSafetyNet: http://127.0.0.1:{port}/")
            if settings.DEMO_MODE:
                from safetynet.demo.accounts import describe_demo_logins

                self.stdout.write(describe_demo_logins())
            call_command("runserver", f"127.0.0.1:{port}", insecure_serving=True,
                         use_reloader=False)
        finally:
            worker.terminate()
            worker.wait(timeout=10)
