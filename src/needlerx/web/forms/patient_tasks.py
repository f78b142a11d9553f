"""Forms of patient tasks: the check-in and questionnaire a patient answers from home, and the
clinician's form to send a link."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator

from needlerx.clinical.check_in import check_in_reference
from needlerx.clinical.medication_diary import medication_diary
from needlerx.clinical.scoring.item_texts import ItemTexts
from needlerx.clinical.scoring.library import Instrument, get_instrument
from needlerx.core import local
from needlerx.patient_tasks.models import TaskKind
from needlerx.patient_tasks.services import HOME_INSTRUMENTS
from needlerx.patients.models import Episode
from needlerx.treatments.models import TreatmentSession

SORENESS_CHOICES = [(str(n), str(n)) for n in range(11)]
YES_NO = [("no", "No"), ("yes", "Yes")]


class CheckInForm(forms.Form):
    soreness = forms.ChoiceField(
        choices=SORENESS_CHOICES,
        widget=forms.RadioSelect,
        label="How sore are you where you had needling?",
        help_text="0 means not sore at all; 10 means the worst soreness you can imagine.",
    )
    bruising = forms.ChoiceField(
        choices=YES_NO,
        widget=forms.RadioSelect,
        label="Do you have a bruise where a needle went in?",
    )
    effects = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Have you had any of these since your visit? Tick any that apply.",
    )
    signs = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Do you have any of these warning signs now? Tick any that apply.",
    )
    free_text = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Anything else you want your therapist to know? (optional)",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        reference = check_in_reference()
        self.fields["effects"].choices = [(e.event_type, e.label) for e in reference.other_effects]  # type: ignore[attr-defined]
        self.fields["signs"].choices = [(s.id, s.label) for s in reference.warning_signs]  # type: ignore[attr-defined]


class QuestionnaireForm(forms.Form):
    """One 0-to-n choice per item, with its own range and words. For an instrument with items
    the patient names (PSFS): the activities named at baseline are re-rated; without a baseline
    the patient names up to one activity per item and rates each one named."""

    def __init__(
        self,
        *args: Any,
        instrument: Instrument,
        activities: Mapping[str, str] | None = None,
        texts: ItemTexts | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.instrument, self.activities, self.texts = instrument, activities, texts
        named = instrument.patient_named_items
        for index, item in enumerate(instrument.items):
            if named is not None and activities is not None and item.key not in activities:
                continue
            licensed = texts.items.get(item.key) if texts is not None else None
            label = licensed.text if licensed else (item.text or item.label)
            options = licensed.options if licensed else {}
            if named is not None and activities is not None:
                label = f"{activities[item.key]}: how well can you do this today?"
            elif named is not None:
                self.fields[f"name_{item.key}"] = forms.CharField(
                    label=f"Activity {item.key} you find hard because of your problem",
                    max_length=named.max_length,
                    required=index == 0,
                )
                label = f"Activity {item.key}: how well can you do it today?"
            self.fields[f"item_{item.key}"] = forms.TypedChoiceField(
                label=label,
                choices=[
                    (str(n), options.get(n, str(n)))
                    for n in range(int(item.min), int(item.max) + 1)
                ],
                help_text="" if options else _anchors(item.anchors or {}),
                coerce=int,
                widget=forms.RadioSelect,
                required=named is None or activities is not None or index == 0,
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.instrument.patient_named_items is None or self.activities is not None:
            return data
        for item in self.instrument.items:
            name, rating = data.get(f"name_{item.key}"), data.get(f"item_{item.key}")
            if name and rating in (None, ""):
                self.add_error(f"item_{item.key}", "Choose how well you can do this activity.")
            if rating not in (None, "") and not name:
                self.add_error(f"name_{item.key}", "Name the activity you rated.")
        return data

    def responses(self) -> dict[str, object]:
        data = self.cleaned_data
        rated = {
            item.key: data[f"item_{item.key}"]
            for item in self.instrument.items
            if data.get(f"item_{item.key}") not in (None, "")
        }
        named = self.instrument.patient_named_items
        if named is None:
            return dict(rated)
        names = self.activities or {
            key: str(data[f"name_{key}"]).strip() for key in rated if data.get(f"name_{key}")
        }
        return {**rated, named.field: dict(names)}


def _anchors(anchors: dict[int, str]) -> str:
    """'0 means unable to perform; 10 means able to perform at previous level'."""
    return "; ".join(f"{value} means {words}" for value, words in sorted(anchors.items()))


class SendTaskForm(forms.Form):
    """The kind of task and what it is about; sessions and episodes come from the selector."""

    kind = forms.ChoiceField(choices=TaskKind.choices, label="What to send")
    session = forms.ChoiceField(required=False, label="Needling session (for a check-in)")
    episode = forms.ChoiceField(required=False, label="Episode of care")
    instrument = forms.ChoiceField(required=False, label="Questionnaire")

    def __init__(
        self,
        *args: Any,
        sessions: Sequence[TreatmentSession],
        episodes: Sequence[Episode],
        instruments: Sequence[str] = HOME_INSTRUMENTS,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.sessions, self.episodes = list(sessions), list(episodes)
        self.fields["instrument"].choices = [("", "Choose for a questionnaire")] + [  # type: ignore[attr-defined]
            (i, get_instrument(i).abbreviation) for i in instruments
        ]
        self.fields["session"].choices = [("", "Choose for a check-in")] + [  # type: ignore[attr-defined]
            (str(s.public_id), f"Session of {local.format_datetime(s.started_at)}")
            for s in self.sessions
        ]
        self.fields["episode"].choices = [  # type: ignore[attr-defined]
            (str(e.public_id), f"Episode opened {local.format_date(e.opened_on)}")
            for e in self.episodes
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        sessions = {str(s.public_id): s for s in self.sessions}
        episodes = {str(e.public_id): e for e in self.episodes}
        data["session"] = sessions.get(data.get("session") or "")
        data["episode"] = episodes.get(data.get("episode") or "")
        return data


class SpasmDiaryForm(forms.Form):
    """The spasm diary in the patient's words: last week's spasms and how strong they usually
    were (the core requires 0 strength when there were none)."""

    service_field_aliases = {
        "responses.episodes_per_week": "episodes_per_week",
        "responses.intensity": "intensity",
    }
    episodes_per_week = forms.IntegerField(
        label="How many muscle spasms did you have in the last 7 days?",
        min_value=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    intensity = forms.TypedChoiceField(
        label="How strong were they, usually?",
        help_text=(
            "Leave this empty if you had none. 0 means not at all strong; 10 means as strong "
            "as you can imagine."
        ),
        choices=[(str(n), str(n)) for n in range(11)],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, instrument: Instrument, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instrument, self.activities = instrument, None
        high = instrument.score.range[1] if instrument.score and instrument.score.range else None
        if high is not None:
            self.fields["episodes_per_week"].max_value = int(high)  # type: ignore[attr-defined]
            self.fields["episodes_per_week"].validators.append(MaxValueValidator(int(high)))

    def responses(self) -> dict[str, object]:
        data = self.cleaned_data
        answers: dict[str, object] = {"episodes_per_week": data["episodes_per_week"]}
        if data.get("intensity") is not None:
            answers["intensity"] = data["intensity"]
        return answers


DAYS_IN_A_WEEK = [(str(n), str(n)) for n in range(8)]


class MedicationDiaryForm(forms.Form):
    """The clinic's "Medication use" measure in the patient's words (``medication_diary.yaml``):
    days in the last week with any pain medicine, days for each class, and up to
    ``opioid_rows`` opioids with their strength and times a day (the core converts them to MME
    and refuses what it cannot convert)."""

    def __init__(self, *args: Any, instrument: Instrument, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instrument, self.activities, diary = instrument, None, medication_diary()
        self.diary = diary
        self.fields["analgesic_days_per_week"] = forms.TypedChoiceField(
            label=diary.any_days_question,
            help_text=diary.any_days_help,
            choices=DAYS_IN_A_WEEK,
            coerce=int,
            widget=forms.RadioSelect,
        )
        self.service_field_aliases = {
            "responses.analgesic_days_per_week": "analgesic_days_per_week"
        }
        for choice in diary.classes:
            self.fields[f"days_{choice.id}"] = forms.TypedChoiceField(
                label=choice.label,
                choices=[*DAYS_IN_A_WEEK, ("", "Not sure")],
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
            )
            alias = f"responses.other_medications.{choice.id}"
            self.service_field_aliases[alias] = f"days_{choice.id}"
        opioids = [("", "None")] + [(o.id, o.label) for o in diary.opioids]
        for row in range(1, diary.opioid_rows + 1):
            self._opioid_row(row, opioids)

    def _opioid_row(self, row: int, opioids: list[tuple[str, str]]) -> None:
        self.fields[f"opioid_{row}"] = forms.ChoiceField(
            label="Which medicine", choices=opioids, required=False
        )
        self.fields[f"opioid_{row}_dose"] = forms.DecimalField(
            label="Strength of each dose (mg, or mcg an hour for a patch)",
            required=False,
            min_value=0,
            max_digits=7,
            decimal_places=2,
            widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
        )
        self.fields[f"opioid_{row}_per_day"] = forms.IntegerField(
            label="Times a day (leave empty for a patch)",
            required=False,
            min_value=1,
            widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        )
        core = f"responses.opioids[{row - 1}]"
        self.service_field_aliases.update(
            {
                f"{core}.drug": f"opioid_{row}",
                f"{core}.dose": f"opioid_{row}_dose",
                f"{core}.unit": f"opioid_{row}_dose",
                f"{core}.doses_per_day": f"opioid_{row}_per_day",
            }
        )

    def class_fields(self) -> list[forms.BoundField]:
        return [self[f"days_{choice.id}"] for choice in self.diary.classes]

    def opioid_rows(self) -> list[list[forms.BoundField]]:
        return [
            [self[f"opioid_{row}"], self[f"opioid_{row}_dose"], self[f"opioid_{row}_per_day"]]
            for row in range(1, self.diary.opioid_rows + 1)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        any_days = data.get("analgesic_days_per_week")
        for choice in self.diary.classes:
            days = data.get(f"days_{choice.id}")
            if any_days is not None and days is not None and days > any_days:
                self.add_error(
                    f"days_{choice.id}",
                    f"This is more than the {any_days} days you took any pain medicine: "
                    "check both answers.",
                )
        for row in range(1, self.diary.opioid_rows + 1):
            drug, dose = data.get(f"opioid_{row}"), data.get(f"opioid_{row}_dose")
            if drug and dose is None:
                self.add_error(f"opioid_{row}_dose", "Give the strength from the label.")
            if not drug and (dose is not None or data.get(f"opioid_{row}_per_day")):
                self.add_error(f"opioid_{row}", "Choose the medicine these numbers are for.")
        return data

    def responses(self) -> dict[str, object]:
        data = self.cleaned_data
        others = {
            choice.id: data[f"days_{choice.id}"]
            for choice in self.diary.classes
            if data.get(f"days_{choice.id}") is not None
        }
        opioids: list[dict[str, object]] = []
        for row in range(1, self.diary.opioid_rows + 1):
            drug = data.get(f"opioid_{row}")
            if not drug:
                continue
            per_day = data.get(f"opioid_{row}_per_day")
            entry: dict[str, object] = {
                "drug": drug,
                "dose": float(data[f"opioid_{row}_dose"]),
                "unit": self.diary.dose_unit(drug, per_day is not None),
            }
            if per_day is not None:
                entry["doses_per_day"] = per_day
            opioids.append(entry)
        answers: dict[str, object] = {
            "analgesic_days_per_week": data["analgesic_days_per_week"],
            "opioids": opioids,
        }
        if others:
            answers["other_medications"] = others
        return answers


def questionnaire_form(
    instrument: Instrument,
    activities: Mapping[str, str] | None,
    data: Any = None,
    texts: ItemTexts | None = None,
) -> QuestionnaireForm | SpasmDiaryForm | MedicationDiaryForm:
    """The form for a questionnaire a patient answers at home."""
    if instrument.id == "spasm":
        return SpasmDiaryForm(data, instrument=instrument)
    if instrument.id == "medication":
        return MedicationDiaryForm(data, instrument=instrument)
    return QuestionnaireForm(data, instrument=instrument, activities=activities, texts=texts)
