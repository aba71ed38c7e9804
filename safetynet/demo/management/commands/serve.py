"""`safetynet serve`: the production server (gunicorn) plus the background-job worker,
for the demo: the same code path a county runs."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from safetynet.demo.accounts import describe_demo_logins


class Command(BaseCommand):
    help = "Serve SafetyNet at 127.0.0.1:PORT through gunicorn with a background-job worker."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args: Any, **options: Any) -> None:
        port = options["port"]
        if not getattr(settings, "WHITENOISE_USE_FINDERS", False):
            call_command("collectstatic", interactive=False, verbosity=0)
        env = {**os.environ, "SAFETYNET_BIND": f"127.0.0.1:{port}"}
        worker = subprocess.Popen([sys.executable, "-m", "safetynet.manage", "worker"], env=env)
        web = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c",
                                "python:safetynet.core.gunicorn_conf", "safetynet.wsgi"], env=env)
        # `kill` of this command stops both children too (the finally below).
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        try:
            self.stdout.write(f"\nSafetyNet: http://127.0.0.1:{port}/")
            if settings.DEMO_MODE:
                self.stdout.write(describe_demo_logins())
            web.wait()
        except KeyboardInterrupt:
            pass
        finally:
            for process in (web, worker):
                process.terminate()
            for process in (web, worker):
                process.wait(timeout=30)
