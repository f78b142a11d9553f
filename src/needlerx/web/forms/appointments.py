"""Web forms for the appointment book: they parse input; the services validate, write and audit.

Dates are typed the US way (MM/DD/YYYY) or as the browser's date picker sends them (ISO); times
as the time picker sends them (14:30) or as people write them (2:30 PM). Both are the clinic's
local time; the page turns them into a moment in the clinic's time zone.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms

from needlerx.accounts.models import User
from needlerx.patients.models import Patient
from needlerx.scheduling.types import appointment_types

DATE_FORMATS = ["%Y-%m-%d", "%m/%d/%Y"]
TIME_FORMATS = ["%H:%M", "%I:%M %p", "%I:%M%p"]


def _type_choices() -> list[tuple[str, str]]:
    return [(kind.id, f"{kind.label} ({kind.minutes} min)") for kind in appointment_types()]


def _clinician_choices(clinicians: list[User]) -> list[tuple[str, str]]:
    return [(str(c.public_id), c.get_full_name() or c.get_username()) for c in clinicians]


class WhenForm(forms.Form):
    """The clinician, type, date and time of an appointment (booking and rescheduling)."""

    clinician = forms.ChoiceField()
    appointment_type = forms.ChoiceField(label="Appointment type")
    date = forms.DateField(
        input_formats=DATE_FORMATS, widget=forms.DateInput(attrs={"type": "date"})
    )
    time = forms.TimeField(
        label="Start time",
        input_formats=TIME_FORMATS,
        widget=forms.TimeInput(attrs={"type": "time", "step": 300}, format="%H:%M"),
        help_text="The length comes from the appointment type.",
    )

    def __init__(self, *args: Any, clinicians: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["clinician"]).choices = _clinician_choices(clinicians)
        cast(forms.ChoiceField, self.fields["appointment_type"]).choices = _type_choices()

    def starts_at(self, zone: dt.tzinfo) -> dt.datetime:
        data = self.cleaned_data
        return dt.datetime.combine(data["date"], data["time"], tzinfo=zone)


class BookForm(WhenForm):
    """Book: the patient (chosen from a search), then when and with whom."""

    patient = forms.ChoiceField(widget=forms.RadioSelect, label="Patient")
    reason = forms.CharField(
        label="Note for the clinician",
        max_length=300,
        required=False,
        help_text="Optional, for example what the patient said on the phone.",
    )

    field_order = ["patient", "clinician", "appointment_type", "date", "time", "reason"]

    def __init__(self, *args: Any, patients: list[Patient], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(str(p.public_id), _patient_words(p)) for p in patients]
        cast(forms.ChoiceField, self.fields["patient"]).choices = choices


def _patient_words(patient: Patient) -> str:
    return (
        f"{patient.full_name} · born {patient.date_of_birth:%m/%d/%Y} · "
        f"MRN {patient.medical_record_number}"
    )
