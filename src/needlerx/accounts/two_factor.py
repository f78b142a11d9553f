"""TOTP two-factor sign-in (django-otp): who needs it, enrolment and verification.

Clinic admins always need a second factor; NEEDLERX_2FA_FOR_EVERYONE=1 extends that to every
role. Anyone who has enrolled a device is asked for a code at every sign-in.
"""

from __future__ import annotations

import base64
from base64 import b32encode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from needlerx.accounts.models import Clinic, Membership, User
from needlerx.audit.services import audit_record
from needlerx.core.errors import ApplicationError

DEVICE_NAME = "Authenticator app"


def two_factor_required(*, user: User) -> bool:
    """Whether this user must pass a second factor before using NeedleRx."""
    if not user.is_authenticated:
        return False
    cached = getattr(user, "_needlerx_two_factor_required", None)
    if cached is None:
        roles = set(settings.TWO_FACTOR_REQUIRED_ROLES)
        cached = TOTPDevice.objects.filter(user=user, confirmed=True).exists() or (
            Membership.objects.filter(user=user, role__in=roles).exists()
        )
        user._needlerx_two_factor_required = cached  # type: ignore[attr-defined]
    return bool(cached)


def two_factor_device(*, user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def _check_code(user: User, device: TOTPDevice, code: str, *, step: str) -> None:
    """Raise naming the token unless it is right; django-otp slows down repeated wrong codes."""
    allowed, _ = device.verify_is_allowed()
    if allowed and device.verify_token(code):
        return
    audit_record(action="auth.two_factor_failed", actor=user, detail={"step": step})
    if not allowed:
        raise ApplicationError("too many wrong codes; wait a minute and try again", field="token")
    raise ApplicationError("is not the current code; check the app and try again", field="token")


@transaction.atomic
def two_factor_enrol_start(*, user: User) -> TOTPDevice:
    """The user's unconfirmed device (a new secret), created once per enrolment."""
    if two_factor_device(user=user) is not None:
        raise ApplicationError("two-factor sign-in is already set up for this account")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def _check_token_format(token: str) -> str:
    token = token.strip().replace(" ", "")
    if not (token.isdigit() and len(token) == 6):
        raise ApplicationError(
            "must be the 6-digit code from your authenticator app", field="token"
        )
    return token


def two_factor_enrol_confirm(*, user: User, token: str) -> TOTPDevice:
    """Confirm the new device with a code from the app; from now on each sign-in needs one.

    Not one transaction on purpose: a wrong code's audit event and throttle count must stay.
    """
    code = _check_token_format(token)
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        raise ApplicationError("start the set-up again: no pending authenticator", field="token")
    _check_code(user, device, code, step="enrol")
    device.confirmed = True
    device.save()
    audit_record(action="auth.two_factor_enrolled", actor=user)
    return device


def two_factor_verify(*, user: User, token: str) -> TOTPDevice:
    """Check a sign-in code. Failed codes are audited and throttled by django-otp."""
    code = _check_token_format(token)
    device = two_factor_device(user=user)
    if device is None:
        raise ApplicationError("no authenticator is set up for this account", field="token")
    _check_code(user, device, code, step="sign_in")
    audit_record(action="auth.two_factor_verified", actor=user)
    return device


@transaction.atomic
def two_factor_reset(*, user: User, actor: User | None = None, clinic: Clinic | None = None) -> int:
    """Remove the user's authenticators (lost phone); they enrol again at the next sign-in."""
    removed: int = TOTPDevice.objects.filter(user=user).delete()[0]
    audit_record(
        action="auth.two_factor_reset",
        actor=actor,
        clinic=clinic,
        obj=user,
        detail={"devices": removed, "user": user.username},
    )
    return removed


def provisioning_qr_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// URL as an SVG QR code in a data: URI (no inline script or style needed)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    return "data:image/svg+xml;base64," + base64.b64encode(image.to_string()).decode()


def provisioning_secret(device: TOTPDevice) -> str:
    """The secret in base32 groups of four, for typing into an app by hand."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
