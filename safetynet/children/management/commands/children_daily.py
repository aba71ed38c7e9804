"""`safetynet children_daily`: the daily run of child protection (cron / systemd timer).

Children who turned 16 leave the left-behind list (with a notice to the child director),
and other age limits are applied; overdue hotline cases escalate to the township
supervisor, then to the county. Idempotent: running it twice a day changes nothing more.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from safetynet.children.services import hotline, registry


class Command(BaseCommand):
    help = "Apply age limits to registered children and escalate overdue hotline cases."

    def handle(self, *args: Any, **options: Any) -> None:
        changed = registry.sweep_ages()
        escalated = hotline.escalate_overdue()
        self.stdout.write(_("%(c)s children's categories changed by age; %(e)s hotline "
                            "cases escalated.") % {"c": changed, "e": escalated})
