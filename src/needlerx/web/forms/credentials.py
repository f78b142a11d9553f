"""The credential form: it parses input; ``accounts.services`` validates, writes and audits."""

from __future__ import annotations

from django import forms

from needlerx.web.forms.fields import LocalDateField, WholeNumberField


class CredentialForm(forms.Form):
    training_provider = forms.CharField(
        label="Training body",
        max_length=200,
        help_text="The organization that gave the dry-needling course",
    )
    hours = WholeNumberField(label="Training hours", min_value=1)
    completed_on = LocalDateField(label="Completed on")
    expires_on = LocalDateField(
        label="Expires on",
        required=False,
        help_text="Renewal or expiry date; leave empty if it does not expire",
    )
    licence_number = forms.CharField(label="License number", max_length=64)
    licence_country = forms.CharField(
        label="License country", max_length=2, help_text="Two letters, e.g. US or CA"
    )
    licence_region = forms.CharField(
        label="License state or province", max_length=3, help_text="e.g. CO, NJ or AB"
    )
