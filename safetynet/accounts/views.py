"""Password change, the second factor, and account administration."""

from __future__ import annotations

import base64
import io
from typing import Any

import django_otp
import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from safetynet.accounts import services
from safetynet.accounts.actor import actor_of
from safetynet.accounts.capabilities import Capability, may
from safetynet.accounts.forms import ResetForm, RoleForm, TokenForm, UserCreateForm
from safetynet.accounts.models import User
from safetynet.core import audit
from safetynet.core.actor import Actor
from safetynet.core.forms import apply_service


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    form = PasswordChangeForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        user.must_change_password = False
        user.save(update_fields=["must_change_password"])
        update_session_auth_hash(request, user)
        audit.record("password_change", user=user, request=request)
        messages.success(request, _("Your password has been changed."))
        return redirect("home")
    return render(request, "accounts/password_change.html", {"form": form})


@login_required
def otp(request: HttpRequest) -> HttpResponse:
    """Set up TOTP on first use, then ask for a code at each login."""
    user: Any = request.user
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    setup = device is None
    if setup:
        device, _created = TOTPDevice.objects.get_or_create(
            user=user, confirmed=False, defaults={"name": "authenticator"})
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"].strip()):
            device.confirmed = True
            device.save()
            django_otp.login(request, device)
            audit.record("otp_verified", user=user, request=request, setup=setup)
            return redirect(request.GET.get("next") or "home")
        audit.record("otp_verified", user=user, request=request, result="fail")
        form.add_error("token", _("The code is wrong or has expired."))
    context = {"form": form, "setup": setup}
    if setup:
        context |= {"qr": _qr_svg(device.config_url), "secret": _base32(device)}
    return render(request, "accounts/otp.html", context)


def _qr_svg(data: str) -> str:
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()


def _base32(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode()


def _admin(request: HttpRequest) -> Actor:
    actor = actor_of(request)
    if not may(actor, Capability.ADMINISTER_ACCOUNTS):
        raise PermissionDenied
    return actor


@login_required
def users(request: HttpRequest) -> HttpResponse:
    _admin(request)
    listing = User.objects.prefetch_related("areas").order_by("username")
    return render(request, "accounts/users.html", {"users": listing})


@login_required
def user_create(request: HttpRequest) -> HttpResponse:
    actor = _admin(request)
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        created = apply_service(form, lambda: services.create_user(
            actor, data["username"], data["display_name"], [a.code for a in data["areas"]],
            data["temporary_password"]))
        if created is not None:
            messages.success(request, _("Account %(u)s created; the security administrator "
                                        "now assigns its role.") % {"u": created.username})
            return redirect("accounts:users")
    return render(request, "accounts/user_form.html",
                  {"form": form, "title": _("New account")})


@login_required
def user_role(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _admin(request)
    target = get_object_or_404(User, pk=pk)
    form = RoleForm(request.POST or None, initial={"role": target.role})
    if request.method == "POST" and form.is_valid() and apply_service(
            form, lambda: services.assign_role(actor, target, form.cleaned_data["role"])):
        return redirect("accounts:users")
    return render(request, "accounts/user_form.html",
                  {"form": form, "title": _("Role of %(u)s") % {"u": target.username}})


@login_required
def user_reset(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _admin(request)
    target = get_object_or_404(User, pk=pk)
    form = ResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reset_password(actor, target, form.cleaned_data["temporary_password"])
            return redirect("accounts:users")
        except ValidationError as exc:
            form.add_error("temporary_password", exc)
    return render(request, "accounts/user_form.html",
                  {"form": form, "title": _("Reset the password of %(u)s") % {"u": target}})
