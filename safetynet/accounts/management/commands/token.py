"""`safetynet token create USERNAME` / `list USERNAME` / `revoke PREFIX`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from safetynet.accounts.models import ApiToken, User


class Command(BaseCommand):
    help = "Create, list or revoke API tokens (stored hashed; shown once on creation)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create")
        create.add_argument("username")
        create.add_argument("--name", default="")
        listing = sub.add_parser("list")
        listing.add_argument("username")
        revoke = sub.add_parser("revoke")
        revoke.add_argument("prefix")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "create":
            user = self._user(options["username"])
            try:
                _token, raw = ApiToken.issue(user, options["name"])
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(raw)
        elif action == "list":
            for token in ApiToken.objects.filter(user=self._user(options["username"])):
                state = "revoked" if token.revoked_at else "active"
                self.stdout.write(f"{token.prefix}…  {token.name}  {token.created_at:%Y-%m-%d}"
                                  f"  {state}")
        else:
            count = ApiToken.objects.filter(prefix=options["prefix"], revoked_at__isnull=True)\
                .update(revoked_at=timezone.now())
            if not count:
                raise CommandError(f"no active token starts with {options['prefix']}")
            self.stdout.write(f"revoked {count} token(s)")

    def _user(self, username: str) -> User:
        try:
            return User.objects.get(username=username)
        except User.DoesNotExist as exc:
            raise CommandError(f"no user named {username}") from exc
