"""Staff accounts, their areas, and API tokens for other systems."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safetynet.accounts.capabilities import Capability, role_may
from safetynet.accounts.roles import (
    ADMINISTRATORS,
    IDLE_MINUTES,
    IDLE_MINUTES_ADMIN,
    OTP_REQUIRED,
    Department,
    Role,
)
from safetynet.core.models import Area


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.CLERK)
    areas = models.ManyToManyField(Area, blank=True, verbose_name=_("areas"),
                                   related_name="users")
    display_name = models.CharField(_("display name"), max_length=40, blank=True)
    department = models.CharField(_("partner department"), max_length=20, blank=True,
                                  choices=Department.choices,
                                  help_text=_("Only for partner-department handlers."))
    must_change_password = models.BooleanField(_("must change password at next login"),
                                                default=True)

    @property
    def can_reveal(self) -> bool:
        return self.is_active and role_may(self.role, Capability.REVEAL_IDENTITY)

    @property
    def works_with_children(self) -> bool:
        return self.is_active and role_may(self.role, Capability.OPEN_MINORS)

    @property
    def is_account_admin(self) -> bool:
        return self.is_active and role_may(self.role, Capability.ADMINISTER_ACCOUNTS)

    @property
    def is_auditor(self) -> bool:
        return self.is_active and role_may(self.role, Capability.READ_AUDIT)

    @property
    def can_read_pipl(self) -> bool:
        return self.is_active and role_may(self.role, Capability.READ_PIPL)

    @property
    def otp_required(self) -> bool:
        return self.role in OTP_REQUIRED

    @property
    def idle_minutes(self) -> int:
        return IDLE_MINUTES_ADMIN if self.role in ADMINISTRATORS else IDLE_MINUTES

    @property
    def can_read_registry(self) -> bool:
        return self.is_active and role_may(self.role, Capability.READ_REGISTRY)

    @property
    def can_edit_registry(self) -> bool:
        return self.is_active and role_may(self.role, Capability.EDIT_REGISTRY)

    def __str__(self) -> str:
        return self.display_name or self.username


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for another system; only its SHA-256 hash is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=60, blank=True)
    prefix = models.CharField(max_length=8)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"

    @classmethod
    def issue(cls, user: User, name: str = "") -> tuple[ApiToken, str]:
        """Raises ValueError for an account whose role needs a second factor not yet set up."""
        if not has_second_factor_if_required(user):
            raise ValueError(_("%(username)s must set up the second factor (one-time code) "
                               "before an API token can be issued.") % {"username": user.username})
        raw = "sn_" + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, prefix=raw[:8],
                                   token_hash=hash_token(raw))
        return token, raw

    @classmethod
    def authenticate(cls, raw: str) -> User | None:
        token = (cls.objects.select_related("user")
                 .filter(token_hash=hash_token(raw), revoked_at__isnull=True).first())
        if token is None or not token.user.is_active:
            return None
        if not has_second_factor_if_required(token.user):
            return None
        cls.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        return token.user


def has_second_factor_if_required(user: User) -> bool:
    """True unless the role requires a second factor and the account has none confirmed."""
    if not user.otp_required:
        return True
    # django_otp imports its device models: not importable while models load.
    from django_otp import user_has_device

    return bool(user_has_device(user, confirmed=True))
