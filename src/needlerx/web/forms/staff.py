"""Staff and clinic-settings forms: they parse input; ``accounts.services`` validates, writes
and audits (the password policy, the last-admin rule, time zone and NPI checks live there)."""

from __future__ import annotations

from typing import Any

from django import forms

from needlerx.accounts.models import Clinic, DateStyle, MeasurementUnits, Role

OTHER_TIME_ZONE = "other"
# The zones of the clinics NeedleRx serves (US and Canada); any other IANA name can be typed.
COMMON_TIME_ZONES = (
    ("America/New_York", "Eastern: New York"),
    ("America/Toronto", "Eastern: Toronto"),
    ("America/Chicago", "Central: Chicago, Austin"),
    ("America/Winnipeg", "Central: Winnipeg"),
    ("America/Denver", "Mountain: Denver"),
    ("America/Edmonton", "Mountain: Edmonton"),
    ("America/Phoenix", "Arizona (no daylight saving)"),
    ("America/Los_Angeles", "Pacific: Los Angeles, Sacramento"),
    ("America/Vancouver", "Pacific: Vancouver"),
    ("America/Anchorage", "Alaska"),
    ("Pacific/Honolulu", "Hawaii"),
    ("America/Halifax", "Atlantic: Halifax"),
    ("America/St_Johns", "Newfoundland: St. John's"),
    ("America/Regina", "Saskatchewan (no daylight saving)"),
    ("America/Puerto_Rico", "Puerto Rico"),
)


class StaffForm(forms.Form):
    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150)
    username = forms.CharField(
        max_length=150, help_text="What they type to sign in, e.g. nquinn (letters, digits, @.+-_)"
    )
    email = forms.EmailField(required=False)
    role = forms.ChoiceField(choices=Role.choices, initial=Role.CLINICIAN)
    password = forms.CharField(
        label="First password",
        strip=False,
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=(
            "Leave empty to send them a one-time link to choose their own (by email, and shown "
            "to you to pass on). Otherwise at least 12 characters, not a common password."
        ),
    )


class SetPasswordForm(forms.Form):
    new_password = forms.CharField(
        label="New password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 12 characters, not a common password and not like your name",
    )
    confirm_password = forms.CharField(
        label="New password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, second = cleaned.get("new_password"), cleaned.get("confirm_password")
        if first and second and first != second:
            self.add_error("confirm_password", "The two passwords differ; type the same one twice.")
        return cleaned


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)


class ClinicForm(forms.Form):
    name = forms.CharField(label="Clinic name", max_length=200)
    address_line_1 = forms.CharField(label="Address line 1", max_length=200, required=False)
    address_line_2 = forms.CharField(label="Address line 2", max_length=200, required=False)
    city = forms.CharField(max_length=100, required=False)
    postal_code = forms.CharField(label="ZIP or postal code", max_length=20, required=False)
    phone = forms.CharField(max_length=40, required=False)
    npi = forms.CharField(
        label="Organization NPI",
        max_length=10,
        required=False,
        help_text="The clinic's 10-digit National Provider Identifier (US)",
    )
    country = forms.CharField(max_length=2, help_text="Two letters, e.g. US or CA")
    region = forms.CharField(
        label="State or province",
        max_length=3,
        help_text="e.g. CO, TX or AB; decides whether physical therapists may dry needle",
    )
    time_zone_choice = forms.ChoiceField(
        label="Time zone",
        choices=[*COMMON_TIME_ZONES, (OTHER_TIME_ZONE, "Other (type it below)")],
    )
    time_zone_other = forms.CharField(
        label="Other time zone",
        max_length=64,
        required=False,
        help_text='Used only with "Other" above: an IANA name such as America/Boise',
    )
    date_style = forms.ChoiceField(label="Dates", choices=DateStyle.choices)
    measurement_units = forms.ChoiceField(
        label="Height and weight", choices=MeasurementUnits.choices
    )

    @classmethod
    def initial_for(cls, clinic: Clinic) -> dict[str, Any]:
        initial = {name: getattr(clinic, name) for name in cls.base_fields if hasattr(clinic, name)}
        common = {zone for zone, _ in COMMON_TIME_ZONES}
        if clinic.time_zone in common:
            initial["time_zone_choice"] = clinic.time_zone
        else:
            initial["time_zone_choice"] = OTHER_TIME_ZONE
            initial["time_zone_other"] = clinic.time_zone
        return initial

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        choice = cleaned.pop("time_zone_choice", None)
        other = cleaned.pop("time_zone_other", "")
        if choice == OTHER_TIME_ZONE:
            if not other:
                self.add_error("time_zone_other", "Type the time zone, e.g. America/Boise.")
            cleaned["time_zone"] = other
        elif choice:
            cleaned["time_zone"] = choice
        return cleaned
