"""`safetynet dci ...`: partner systems of the DCI API from the command line.

* ``demo-partner [--callback URL]`` (demo mode only): register the demo partner (the whole
  county, every field but full ID numbers) if missing and print a new token for it;
* ``token issue CODE`` / ``token revoke PREFIX`` / ``partners``: as on the partner pages;
* ``deliver``: send every due callback now (for a cron job beside a worker whose backend
  cannot schedule retries).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from safetynet.accounts.models import User
from safetynet.accounts.roles import Role
from safetynet.core.actor import Actor
from safetynet.core.models import Area
from safetynet.dci import delivery, services
from safetynet.dci.models import FieldGroup, Partner, PartnerToken

DEMO_CODE = "demo.partner"
DEMO_CALLBACK = "http://127.0.0.1:8765/dci"
DEMO_FIELDS = [g for g in FieldGroup.values if g != FieldGroup.ID_NUMBER_FULL]


class Command(BaseCommand):
    help = "Partner systems of the DCI API: demo partner, tokens, list, deliver callbacks."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        demo = sub.add_parser("demo-partner")
        demo.add_argument("--callback", default=DEMO_CALLBACK)
        token = sub.add_parser("token")
        token.add_argument("what", choices=["issue", "revoke"])
        token.add_argument("code_or_prefix")
        token.add_argument("--as", dest="actor", default="sysadmin")
        sub.add_parser("partners")
        sub.add_parser("deliver")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "demo-partner":
            self._demo(options["callback"])
        elif action == "token":
            self._token(options["what"], options["code_or_prefix"], options["actor"])
        elif action == "partners":
            for partner in Partner.objects.prefetch_related("areas"):
                areas = ",".join(a.code for a in partner.areas.all())
                self.stdout.write(f"{partner.code}\t{partner.name}\t{areas}\t"
                                  f"{','.join(partner.field_groups)}\t"
                                  f"{'active' if partner.active else 'suspended'}")
        else:
            run = delivery.deliver_due()
            self.stdout.write(f"delivered {run.delivered}, failed {run.failed}, "
                              f"given up {run.dead}, waiting {run.waiting}")

    def _actor(self, username: str) -> Actor:
        user = User.objects.filter(username=username, role__in=(Role.SYSADMIN,
                                                                Role.SECADMIN)).first()
        if user is None:
            raise CommandError(f"no system or security administrator named {username}")
        return Actor.of(user)

    def _demo(self, callback: str) -> None:
        if not settings.DEMO_MODE:
            raise CommandError("demo-partner works only in demo mode (SAFETYNET_ENV=demo)")
        actor = self._actor("sysadmin")
        partner = Partner.objects.filter(code=DEMO_CODE).first()
        if partner is None:
            county = Area.objects.filter(level="county").order_by("code").first()
            if county is None:
                raise CommandError("build the demo county first: safetynet demo")
            partner = services.register_partner(
                actor, DEMO_CODE, {"name": "演示合作部门 Demo partner",
                                   "department": "health_insurance",
                                   "purpose": "DCI interoperability demonstration",
                                   "callback_url": callback}, DEMO_FIELDS, [county.code])
        self.stdout.write(services.issue_token(actor, partner)[1])

    def _token(self, what: str, value: str, username: str) -> None:
        actor = self._actor(username)
        if what == "issue":
            partner = Partner.objects.filter(code=value).first()
            if partner is None:
                raise CommandError(f"no partner with sender ID {value}")
            self.stdout.write(services.issue_token(actor, partner)[1])
            return
        tokens = list(PartnerToken.objects.filter(prefix__startswith=value,
                                                  revoked_at__isnull=True))
        if len(tokens) != 1:
            raise CommandError(f"{len(tokens)} active tokens start with {value}: give more of "
                               "the prefix")
        services.revoke_token(actor, tokens[0])
        self.stdout.write(f"revoked {tokens[0].prefix}…")
