"""`safetynet demo [--if-missing]`: the synthetic county plus the demo logins."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from safetynet.accounts.models import User
from safetynet.demo import children, discovery, eldercare, history
from safetynet.demo.accounts import DEMO_USERS, create_demo_accounts, describe_demo_logins
from safetynet.demo.applications import seed_applications
from safetynet.demo.cli import CountyCommand


class Command(CountyCommand):
    help = "Build the demo county (areas, households, persons) and the demo logins."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_MODE and settings.SAFETYNET_ENV != "test":
            raise CommandError("the demo county and its logins exist only in demo mode "
                               "(SAFETYNET_ENV=demo); use `safetynet seed` for data alone")
        result = self.build(options)
        if result.created or not _demo_accounts_exist():
            create_demo_accounts(settings.SAFETYNET_COUNTY_CODE)
            self.stdout.write(describe_demo_logins())
        created = seed_applications(settings.SAFETYNET_COUNTY_CODE)
        if created:
            self.stdout.write(_("%(n)s applications in progress at the demo township's window")
                              % {"n": created})
        for seed in (eldercare.seed, children.seed, discovery.seed):
            started = time.perf_counter()
            seed(settings.SAFETYNET_COUNTY_CODE)
            self._took(seed.__module__, started)
        started = time.perf_counter()
        past = history.build(settings.SAFETYNET_COUNTY_CODE)
        for line in past.lines_out() if past else []:
            self.stdout.write(line)
        self._took("history", started)

    def _took(self, what: str, started: float) -> None:
        self.stdout.write(f"{what.rsplit('.', 1)[-1]}: {time.perf_counter() - started:.1f} s")


def _demo_accounts_exist() -> bool:
    usernames = [username for username, *_rest in DEMO_USERS]
    return User.objects.filter(username__in=usernames).count() == len(usernames)
