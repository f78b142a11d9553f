"""Sign-in forms: password step (with lockout message) and the two-factor code."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from needlerx.accounts.lockout import ADDRESS, LockoutStatus
from needlerx.accounts.signals import LOGIN_BLOCKED_ATTRIBUTE


class SignInForm(AuthenticationForm):
    def get_invalid_login_error(self) -> ValidationError:
        status = getattr(self.request, LOGIN_BLOCKED_ATTRIBUTE, None)
        if isinstance(status, LockoutStatus) and status.scope == ADDRESS:
            return ValidationError(
                "Too many failed sign-ins from this address. "
                f"Try again in {status.retry_after_seconds} seconds.",
                code="slowed_down",
            )
        if isinstance(status, LockoutStatus):
            return ValidationError(
                "Too many failed sign-ins for this account. "
                f"Try again in {status.retry_after_minutes} minutes, or ask your clinic admin.",
                code="locked_out",
            )
        return super().get_invalid_login_error()


class TokenForm(forms.Form):
    token = forms.CharField(
        label="6-digit code",
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )
