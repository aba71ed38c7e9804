"""`safetynet otp_code USERNAME` (demo mode only): print the user's current TOTP code.

Lets a visitor try the approver, finance and administrator accounts without an
authenticator app. Refused outside demo mode.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from safetynet.accounts.models import User


class Command(BaseCommand):
    help = "Demo mode only: print the current one-time code of a demo account."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_MODE:
            raise CommandError("otp_code works only in demo mode (SAFETYNET_ENV=demo)")
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"no user named {options['username']}")
        device = TOTPDevice.objects.filter(user=user).order_by("-confirmed").first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="demo", confirmed=True)
        elif not device.confirmed:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
        self.stdout.write(f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}")
