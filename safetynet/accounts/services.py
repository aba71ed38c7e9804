"""Account actions: each one transaction with its audit record."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from safetynet.accounts.models import User
from safetynet.accounts.roles import Role
from safetynet.core import audit
from safetynet.core.models import Area


def _require(actor: Any, role: Role) -> None:
    if getattr(actor, "role", None) != role or not actor.is_active:
        raise PermissionDenied(_("Only the %(role)s may do this.") % {"role": role.label})


@transaction.atomic
def create_user(actor: Any, username: str, display_name: str, area_codes: list[str],
                temporary_password: str, request: Any = None) -> User:
    """The system administrator creates an account; its role is set by the security admin."""
    _require(actor, Role.SYSADMIN)
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": _("username %(u)s is taken") % {"u": username}})
    user = User(username=username, display_name=display_name, role=Role.CLERK,
                must_change_password=True, is_active=False)
    validate_password(temporary_password, user)
    user.set_password(temporary_password)
    user.save()
    set_areas(actor, user, area_codes, request)
    audit.record("user_create", user=actor, request=request, obj=user, username_created=username)
    return user


@transaction.atomic
def set_areas(actor: Any, user: User, area_codes: list[str], request: Any = None) -> User:
    _require(actor, Role.SYSADMIN)
    areas = list(Area.objects.filter(code__in=area_codes))
    if len(areas) != len(set(area_codes)):
        raise ValidationError({"areas": _("unknown area code")})
    user.areas.set(areas)
    audit.record("permission_change", user=actor, request=request, obj=user,
                 areas=sorted(area_codes))
    return user


@transaction.atomic
def assign_role(actor: Any, user: User, role: str, request: Any = None) -> User:
    """The security administrator sets the role; an account holds exactly one role."""
    _require(actor, Role.SECADMIN)
    if role not in Role.values:
        raise ValidationError({"role": _("unknown role")})
    if user.pk == actor.pk:
        raise PermissionDenied(_("Nobody may change their own role."))
    old = user.role
    user.role = role
    user.is_active = True
    user.save(update_fields=["role", "is_active"])
    audit.record("permission_change", user=actor, request=request, obj=user, old_role=old,
                 new_role=role)
    return user


@transaction.atomic
def reset_password(actor: Any, user: User, temporary_password: str, request: Any = None) -> User:
    _require(actor, Role.SYSADMIN)
    validate_password(temporary_password, user)
    user.set_password(temporary_password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    audit.record("password_reset", user=actor, request=request, obj=user)
    return user


@transaction.atomic
def deactivate(actor: Any, user: User, request: Any = None) -> User:
    _require(actor, Role.SYSADMIN)
    user.is_active = False
    user.save(update_fields=["is_active"])
    audit.record("user_deactivate", user=actor, request=request, obj=user)
    return user

