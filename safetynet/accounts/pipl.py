"""Personal data about staff: accounts, credentials, logins, sessions and the audit log.

Read by safetynet/core/pipl.py. Who can see what is taken from the User properties the
views check (``is_account_admin``, ``is_auditor``), evaluated for each role, so the
records follow the code instead of repeating it.
"""

from __future__ import annotations

from typing import Any

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from safetynet.accounts.models import User
from safetynet.accounts.roles import ABSOLUTE_SESSION_HOURS, Role
from safetynet.core.audit import RETENTION_DAYS
from safetynet.core.pipl import (
    EDIT,
    READ,
    STATUTORY_DUTY_SECURITY,
    Access,
    Category,
    Declaration,
    Group,
    Text,
)


def holders(permission: str) -> frozenset[Role]:
    """The roles whose active users have ``permission`` (a User property)."""
    return frozenset(role for role in Role
                     if getattr(User(role=role, is_active=True), permission, False))


STAFF_BASIS = _(
    "PIPL art. 13(1)2, necessary for human-resources management under the bureau's lawful "
    "rules; and art. 13(1)3 for the security controls the law requires")
ACCOUNT_RETENTION = _(
    "While the account exists; accounts are deactivated rather than deleted, so that the "
    "audit log keeps naming who did what")
SECURITY_PURPOSE = _("Authenticate staff, lock out password guessing, investigate incidents")
DUTIES_PURPOSE = _("Give staff the access their duties need, and no more")

ACCOUNT_ADMINS = holders("is_account_admin")
AUDITORS = holders("is_auditor")
ACCOUNT_ACCESS = (Access(READ, ACCOUNT_ADMINS), Access(EDIT, ACCOUNT_ADMINS))


def _staff(title: Text, fields: tuple[str, ...], category: Category,
           purpose: Text = DUTIES_PURPOSE,
           access: tuple[Access, ...] = ACCOUNT_ACCESS,
           retention: Text = ACCOUNT_RETENTION) -> Group:
    return Group(title=title, fields=fields, category=category, purpose=purpose,
                 basis=STAFF_BASIS, retention=retention, access=access)


def _log(title: Text, fields: tuple[str, ...], retention: Text,
         access: tuple[Access, ...] = ()) -> Group:
    return Group(title=title, fields=fields, category=Category.ACTIVITY,
                 purpose=SECURITY_PURPOSE, basis=STATUTORY_DUTY_SECURITY, retention=retention,
                 access=access)


STAFF = _("Staff of the bureau, townships and villages who use the system")
LOGIN_FIELDS = ("username", "ip_address", "user_agent", "http_accept", "path_info",
                "attempt_time")


def _axes(model: str, title: Text, extra: tuple[str, ...], retention: Text,
          not_personal: tuple[str, ...] = ()) -> Declaration:
    return Declaration(model=model, subjects=STAFF,
                       groups=(_log(title, LOGIN_FIELDS + extra, retention),),
                       not_personal=not_personal)


DECLARATIONS: list[Any] = [
    Declaration(
        model="accounts.User", subjects=STAFF,
        groups=(
            _staff(_("Username, name and e-mail"),
                   ("username", "first_name", "last_name", "display_name", "email"),
                   Category.STAFF),
            _staff(_("Role, areas and permissions"),
                   ("role", "areas", "groups", "user_permissions", "is_staff", "is_superuser",
                    "is_active", "department"), Category.STAFF),
            _staff(_("Password hash and whether it must be changed"),
                   ("password", "must_change_password"), Category.CREDENTIALS,
                   SECURITY_PURPOSE),
            _staff(_("Account creation and last login"), ("date_joined", "last_login"),
                   Category.ACTIVITY, SECURITY_PURPOSE),
        ),
    ),
    Declaration(
        model="accounts.ApiToken",
        subjects=_("Accounts of other systems that call the API, and their owners"),
        groups=(
            _staff(_("Token owner, name, prefix and hash"),
                   ("user", "name", "prefix", "token_hash"), Category.CREDENTIALS,
                   _("Authenticate other systems"), access=()),
            _staff(_("When the token was last used"), ("last_used_at",), Category.ACTIVITY,
                   SECURITY_PURPOSE, access=()),
        ),
        not_personal=("created_at", "revoked_at"),
    ),
    Declaration(
        model="otp_totp.TOTPDevice", subjects=STAFF,
        groups=(
            _staff(_("Second-factor (TOTP) secret and its owner"), ("user", "key"),
                   Category.CREDENTIALS, SECURITY_PURPOSE, access=()),
            _staff(_("Second-factor use and failures"),
                   ("created_at", "last_used_at", "throttling_failure_timestamp",
                    "throttling_failure_count"), Category.ACTIVITY, SECURITY_PURPOSE,
                   access=()),
        ),
        not_personal=("name", "confirmed", "step", "t0", "digits", "tolerance", "drift",
                      "last_t"),
    ),
    _axes("axes.AccessAttempt", _("Failed login attempts counted for the lockout"),
          ("get_data", "post_data", "failures_since_start"),
          _("Deleted at the next successful login; otherwise until `safetynet axes_reset`")),
    _axes("axes.AccessFailureLog", _("Failed logins"), ("locked_out",),
          _("Until removed with `safetynet axes_reset_failure_logs --age DAYS`")),
    _axes("axes.AccessLog", _("Logins and logouts"), ("logout_time", "session_hash"),
          _("Until removed with `safetynet axes_reset_logs --age DAYS`")),
    Declaration(
        model="sessions.Session", subjects=STAFF,
        groups=(_log(_("Login sessions"), ("session_key", "session_data"),
                     format_lazy(_("At most {hours} hours; expired sessions are removed by "
                                   "`safetynet clearsessions`"),
                                 hours=ABSOLUTE_SESSION_HOURS)),),
        not_personal=("expire_date",),
    ),
    Declaration(
        model="core.AuditEvent",
        subjects=_("Staff, and the persons and households their actions concern"),
        groups=(_log(_("Security audit log: who, from where, did what to which record"),
                     ("at", "user_id", "username", "ip", "action", "object_type",
                      "object_id", "result", "detail"),
                     format_lazy(_("At least {days} days (Cybersecurity Law art. 21: six "
                                   "months); older events are removed only by `safetynet "
                                   "audit purge`"), days=RETENTION_DAYS),
                     access=(Access(READ, AUDITORS),)),),
        not_personal=("prev_hash", "hash"),
    ),
]

NON_PERSONAL: dict[str, Text] = {
    "auth.Group": _("Named sets of permissions"),
    "axes.AccessAttemptExpiration": _("When a lockout ends"),
}
