"""Forms of the plan of care page. They parse input; the treatments services decide."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from needlerx.clinical.scoring import instrument_library
from needlerx.clinical.treatment_reference import exercise_library
from needlerx.treatments.models import Intervention
from needlerx.web.forms.fields import LocalDateField, WholeNumberField

TEXTAREA = forms.Textarea(attrs={"rows": 2})
DOSAGE_FIELDS = (
    "sets",
    "reps",
    "hold_seconds",
    "duration_minutes",
    "times_per_day",
    "days_per_week",
)


class PlanForm(forms.Form):
    frequency_per_week = WholeNumberField(
        label="Visits per week", help_text="A whole number from 1 to 7."
    )
    duration_weeks = WholeNumberField(
        label="Duration (weeks)", help_text="A whole number from 1 to 52."
    )
    interventions = forms.MultipleChoiceField(
        choices=Intervention.choices, widget=forms.CheckboxSelectMultiple
    )
    re_evaluation_on = LocalDateField(label="Re-evaluation date")
    notes = forms.CharField(required=False, widget=TEXTAREA, label="Plan notes")

    def service_fields(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class PlanUpdateForm(PlanForm):
    version = WholeNumberField(widget=forms.HiddenInput)


def measure_choices() -> list[tuple[str, str]]:
    return [(i.id, f"{i.abbreviation}: {i.name}") for i in instrument_library()]


class GoalForm(forms.Form):
    description = forms.CharField(
        max_length=300, label="Goal", help_text="In the patient's words, e.g. drive 30 minutes."
    )
    measure = forms.ChoiceField(label="Measured by", choices=[])
    measure_detail = forms.CharField(
        max_length=64,
        required=False,
        label="Which motion, activity or muscle",
        help_text="For ROM the motion, for PSFS the activity, for PPT the muscle and side.",
    )
    baseline = forms.DecimalField(required=False, label="Baseline value")
    target = forms.DecimalField(label="Target value")
    target_by = LocalDateField(required=False, label="Target date")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["measure"]).choices = measure_choices()

    def goal(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        return {
            k: (str(v) if k in ("baseline", "target") and v is not None else v)
            for k, v in data.items()
        }


def exercise_choices() -> list[tuple[str, Any]]:
    """Library exercises grouped by spinal region, for a select with option groups."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for exercise in exercise_library().exercises:
        region = exercise.regions[0].replace("_", " ").capitalize()
        groups.setdefault(region, []).append((exercise.id, exercise.name))
    return [("", "Choose an exercise"), *groups.items()]


def _dose(label: str) -> forms.IntegerField:
    return WholeNumberField(label=label, required=False, help_text="Empty: library default.")


class ExerciseForm(forms.Form):
    exercise = forms.ChoiceField(choices=[], label="Exercise from the library")
    sets = _dose("Sets")
    reps = _dose("Repetitions")
    hold_seconds = _dose("Hold (seconds)")
    duration_minutes = _dose("Duration (minutes)")
    times_per_day = _dose("Times a day")
    days_per_week = _dose("Days a week")
    notes = forms.CharField(max_length=300, required=False, label="Note for the patient")
    contraindication_rationale = forms.CharField(
        required=False,
        widget=TEXTAREA,
        label="Rationale if the exercise is flagged",
        help_text="Needed only when one of the exercise's tags applies to this patient.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["exercise"]).choices = exercise_choices()

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        dosage = {name: data[name] for name in DOSAGE_FIELDS if data.get(name) is not None}
        return {
            "exercise_id": data["exercise"],
            "notes": data["notes"],
            "contraindication_rationale": data["contraindication_rationale"],
            **dosage,
        }


def error_field(form: forms.Form, path: str | None) -> str | None:
    """The form field a service error names: ``goal.target`` -> ``target``."""
    if not path:
        return None
    name = path.rsplit(".", 1)[-1].split("[", 1)[0]
    name = {"exercise_id": "exercise"}.get(name, name)
    return name if name in form.fields else None
