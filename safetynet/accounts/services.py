"""Account actions: each one transaction with its audit record."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from safetynet.accounts.capabilities import Capability, may, roles_with
from safetynet.accounts.models import User
from safetynet.accounts.roles import Role
from safetynet.core import audit
from safetynet.core.actor import Actor
from safetynet.core.models import Area


def _require(actor: Actor, capability: Capability) -> None:
    if not may(actor, capability):
        holders = "、".join(str(Role(role).label) for role in sorted(roles_with(capability)))
        raise PermissionDenied(_("Only the %(role)s may do this.") % {"role": holders})


@transaction.atomic
def create_user(actor: Actor, username: str, display_name: str, area_codes: list[str],
                temporary_password: str) -> User:
    """The system administrator creates an account; its role is set by the security admin."""
    _require(actor, Capability.CREATE_ACCOUNTS)
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": _("username %(u)s is taken") % {"u": username}})
    user = User(username=username, display_name=display_name, role=Role.CLERK,
                must_change_password=True, is_active=False)
    validate_password(temporary_password, user)
    user.set_password(temporary_password)
    user.save()
    set_areas(actor, user, area_codes)
    audit.record("user_create", user=actor, obj=user, username_created=username)
    return user


@transaction.atomic
def set_areas(actor: Actor, user: User, area_codes: list[str]) -> User:
    _require(actor, Capability.CREATE_ACCOUNTS)
    areas = list(Area.objects.filter(code__in=area_codes))
    if len(areas) != len(set(area_codes)):
        raise ValidationError({"areas": _("unknown area code")})
    user.areas.set(areas)
    audit.record("permission_change", user=actor, obj=user,
                 areas=sorted(area_codes))
    return user


@transaction.atomic
def assign_role(actor: Actor, user: User, role: str) -> User:
    """The security administrator sets the role; an account holds exactly one role."""
    _require(actor, Capability.ASSIGN_ROLES)
    if role not in Role.values:
        raise ValidationError({"role": _("unknown role")})
    if user.pk == actor.pk:
        raise PermissionDenied(_("Nobody may change their own role."))
    old = user.role
    user.role = role
    user.is_active = True
    user.save(update_fields=["role", "is_active"])
    audit.record("permission_change", user=actor, obj=user, old_role=old,
                 new_role=role)
    return user


@transaction.atomic
def reset_password(actor: Actor, user: User, temporary_password: str) -> User:
    _require(actor, Capability.CREATE_ACCOUNTS)
    validate_password(temporary_password, user)
    user.set_password(temporary_password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    audit.record("password_reset", user=actor, obj=user)
    return user


@transaction.atomic
def deactivate(actor: Actor, user: User) -> User:
    _require(actor, Capability.CREATE_ACCOUNTS)
    user.is_active = False
    user.save(update_fields=["is_active"])
    audit.record("user_deactivate", user=actor, obj=user)
    return user

