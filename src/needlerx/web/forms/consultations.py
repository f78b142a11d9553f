"""Web forms for the self-check and the consultation request (public) and the front desk's
conversion of a request into a patient and an appointment. They parse input; the services and
the clinical core validate, write and decide."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from needlerx.accounts.models import Clinic
from needlerx.clinical.self_check import self_check_reference
from needlerx.consultations.models import PainArea
from needlerx.patients.models import Sex
from needlerx.web.forms.appointments import WhenForm

YES_NO = [("yes", "Yes"), ("no", "No")]
DAY_CHOICES = [
    ("monday", "Monday"),
    ("tuesday", "Tuesday"),
    ("wednesday", "Wednesday"),
    ("thursday", "Thursday"),
    ("friday", "Friday"),
    ("saturday", "Saturday"),
]
TIME_CHOICES = [
    ("morning", "Morning (8 to 12)"),
    ("afternoon", "Afternoon (12 to 5)"),
    ("evening", "Evening (after 5)"),
]
ANSWER_PLEASE = "Please answer yes or no."


def _pain_area_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Where is your pain?",
        choices=PainArea.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Please choose neck, back, or both."},
    )


class SelfCheckForm(forms.Form):
    """One yes/no question per entry of self_check.yaml, in its order."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pain_area"] = _pain_area_field()
        for question in self_check_reference().questions:
            self.fields[question.id] = forms.ChoiceField(
                label=question.text,
                choices=YES_NO,
                widget=forms.RadioSelect,
                required=question.only_if is None,
                error_messages={"required": ANSWER_PLEASE},
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for question in self_check_reference().questions:
            if (
                question.only_if
                and data.get(question.only_if) == "yes"
                and not data.get(question.id)
            ):
                self.add_error(question.id, ANSWER_PLEASE)
        return data

    def answers(self) -> dict[str, bool]:
        """The answers as the clinical core takes them (a question that does not apply is left
        out)."""
        data = self.cleaned_data
        answers: dict[str, bool] = {}
        for question in self_check_reference().questions:
            value = data.get(question.id)
            if value and (question.only_if is None or data.get(question.only_if) == "yes"):
                answers[question.id] = value == "yes"
        return answers


class ConsultationRequestForm(forms.Form):
    clinic = forms.ChoiceField(
        label="Which clinic would you like to visit?",
        error_messages={"required": "Please choose a clinic."},
    )
    given_name = forms.CharField(label="First name", max_length=100)
    family_name = forms.CharField(label="Last name", max_length=100)
    email = forms.EmailField(
        label="Email",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text="We send a confirmation here.",
    )
    phone = forms.CharField(
        label="Phone",
        max_length=40,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        help_text="We call you on this number to find a time.",
    )
    pain_area = forms.ChoiceField(
        label="Neck or back?", choices=PainArea.choices, widget=forms.RadioSelect
    )
    preferred_days = forms.MultipleChoiceField(
        label="Days that suit you",
        choices=DAY_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Leave empty if any day suits you.",
    )
    preferred_times = forms.MultipleChoiceField(
        label="Times that suit you",
        choices=TIME_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    message = forms.CharField(
        label="Anything else we should know? (optional)",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    share_answers = forms.BooleanField(
        label="Share my self-check answers with the clinic", required=False
    )
    consent_to_contact = forms.BooleanField(
        label="I agree that the clinic may contact me by phone or email about this request.",
        error_messages={"required": "We can only contact you if you agree."},
    )
    self_check = forms.CharField(required=False, widget=forms.HiddenInput)
    # The honeypot: hidden from people (off screen, out of the tab order); bots fill it in.
    website = forms.CharField(
        label="Leave this field empty",
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, clinics: list[Clinic], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "Choose a clinic")] + [
            (str(c.public_id), _clinic_words(c)) for c in clinics
        ]
        cast(forms.ChoiceField, self.fields["clinic"]).choices = choices


def _clinic_words(clinic: Clinic) -> str:
    return f"{clinic.name} ({clinic.city})" if clinic.city else clinic.name


class ConvertForm(WhenForm):
    """What registration needs beyond the request (MRN, date of birth, sex) and the booking."""

    medical_record_number = forms.CharField(label="MRN", max_length=40)
    date_of_birth = forms.DateField(
        label="Date of birth",
        input_formats=["%Y-%m-%d", "%m/%d/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    sex = forms.ChoiceField(label="Sex", choices=Sex.choices)

    field_order = ["medical_record_number", "date_of_birth", "sex", "clinician", "date", "time"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["appointment_type"]
