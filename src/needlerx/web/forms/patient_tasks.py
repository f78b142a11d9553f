"""Forms of patient tasks: the check-in and questionnaire a patient answers from home, and the
clinician's form to send a link."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from needlerx.clinical.check_in import check_in_reference
from needlerx.clinical.scoring.library import Instrument
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
        label=(
            "How sore are you where you had needling? 0 is not sore at all, 10 is the worst "
            "soreness you can imagine."
        ),
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
    """One number field per item of the instrument, with its own range and words."""

    def __init__(self, *args: Any, instrument: Instrument, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        for item in instrument.items:
            low, high = int(item.min), int(item.max)
            self.fields[f"item_{item.key}"] = forms.TypedChoiceField(
                label=item.text or item.label,
                choices=[(str(n), _anchored(n, item.anchors or {})) for n in range(low, high + 1)],
                coerce=int,
                widget=forms.RadioSelect,
            )

    def responses(self) -> dict[str, object]:
        return {item.key: self.cleaned_data[f"item_{item.key}"] for item in self.instrument.items}


def _anchored(value: int, anchors: dict[int, str]) -> str:
    return f"{value} ({anchors[value]})" if value in anchors else str(value)


class SendTaskForm(forms.Form):
    """The kind of task and what it is about; sessions and episodes come from the selector."""

    kind = forms.ChoiceField(choices=TaskKind.choices, label="What to send")
    session = forms.ChoiceField(required=False, label="Needling session (for a check-in)")
    episode = forms.ChoiceField(required=False, label="Episode of care")
    instrument = forms.ChoiceField(
        required=False,
        label="Questionnaire",
        choices=[("", "Choose for a questionnaire")] + [(i, i.upper()) for i in HOME_INSTRUMENTS],
    )

    def __init__(
        self,
        *args: Any,
        sessions: Sequence[TreatmentSession],
        episodes: Sequence[Episode],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.sessions, self.episodes = list(sessions), list(episodes)
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
