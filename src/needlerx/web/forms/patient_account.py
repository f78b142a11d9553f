"""Forms of a patient's own account: sign in with the email the clinic's invitation went to."""

from __future__ import annotations

from django import forms

from needlerx.patient_accounts.services import patient_username
from needlerx.web.forms.sign_in import SignInForm


class PatientSignInForm(SignInForm):
    """The staff sign-in form (lockout messages included), with the email as the name: it
    reaches only patient accounts (``patient:<email>``), never a staff user."""

    username = forms.EmailField(
        label="Email",
        max_length=150,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    error_messages = {
        **SignInForm.error_messages,
        "invalid_login": "That email and password do not match. Check both and try again.",
    }

    def clean_username(self) -> str:
        return patient_username(self.cleaned_data["username"])


class PasswordResetRequestForm(forms.Form):
    """ "Forgot your password?": the email the patient signs in with."""

    email = forms.EmailField(
        label="Email",
        max_length=150,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
