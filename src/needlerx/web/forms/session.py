"""Forms for each step of the session note. They parse input; the treatments services decide."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django import forms

from needlerx.clinical.reference import muscle_catalogue
from needlerx.clinical.scoring.library import get_instrument
from needlerx.clinical.treatment_reference import (
    adverse_event_reference,
    aftercare_reference,
    consent_templates_current,
)
from needlerx.treatments.depths import planned_reference_depths
from needlerx.treatments.models import (
    ChangeSinceLast,
    NeedlingEntry,
    SafetyAlertResolution,
    TreatmentSession,
)
from needlerx.treatments.recheck import findings_needing_rationale, rationale_text
from needlerx.treatments.words import muscle_words, side_words, technique_words
from needlerx.web.forms.fields import WholeNumberField


def _pain(label: str) -> forms.IntegerField:
    return WholeNumberField(label=label, min_value=0, max_value=10, required=False)


TEXTAREA = forms.Textarea(attrs={"rows": 3})
DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class StepForm(forms.Form):
    version = WholeNumberField(widget=forms.HiddenInput)


class ConsentForm(StepForm):
    template = forms.ChoiceField(label="Consent document", choices=[])
    signer_name = forms.CharField(max_length=200, label="Patient's full name")
    signature_data = forms.CharField(
        max_length=200,
        label="Typed signature",
        help_text="The patient types their full name exactly as above to sign.",
    )
    witness_name = forms.CharField(max_length=200, required=False)
    risk_notes = forms.CharField(
        required=False,
        widget=TEXTAREA,
        label="Patient-specific risks discussed",
        help_text="For example scoliosis or low body-mass index near the thorax.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["template"])
        field.choices = [
            (t.id, f"{t.title} (version {t.version})") for t in consent_templates_current()
        ]


class SubjectiveForm(StepForm):
    pain_now = _pain("Pain now (NPRS 0 to 10)")
    change_since_last = forms.ChoiceField(
        choices=[("", "Not asked"), *ChangeSinceLast.choices], required=False
    )
    soreness_since_last = _pain("Soreness since last session (0 to 10)")
    last_session_follow_up = forms.CharField(
        required=False, widget=TEXTAREA, label="Follow-up of the last session"
    )
    subjective_notes = forms.CharField(required=False, widget=TEXTAREA, label="Subjective")

    def __init__(self, *args: Any, ask_pain: bool = True, **kwargs: Any) -> None:
        """``ask_pain=False`` while today's pain is asked with the carried-forward muscles."""
        super().__init__(*args, **kwargs)
        if not ask_pain:
            del self.fields["pain_now"]


RATIONALE_PREFIX = "rationale__"


class RationaleForm(StepForm):
    """One rationale per finding that needs one; a finding unchanged since the last signed
    re-check of the episode arrives filled with the rationale it kept."""

    def __init__(self, *args: Any, session: TreatmentSession, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        changes = session.safety_changes or {}
        for rule_id, item in findings_needing_rationale(session.safety_result).items():
            own = (session.finding_rationales or {}).get(rule_id) or {}
            if own.get("carried_from"):
                note = "Unchanged since the last signed re-check: its rationale is kept."
            elif rule_id in changes.get("changed", []):
                note = "Changed since the last signed re-check: review the rationale."
            else:
                note = "New: why needling is appropriate despite it, and what you will do."
            self.fields[RATIONALE_PREFIX + rule_id] = forms.CharField(
                required=False,
                widget=TEXTAREA,
                label=f"Rationale: {item['title']}",
                help_text=note,
                initial=rationale_text(
                    session.finding_rationales, session.safety_rationale, rule_id
                ),
            )

    def rationales(self) -> dict[str, str]:
        return {
            name.removeprefix(RATIONALE_PREFIX): str(value).strip()
            for name, value in self.cleaned_data.items()
            if name.startswith(RATIONALE_PREFIX) and str(value or "").strip()
        }


def entry_choices(session: TreatmentSession) -> list[tuple[str, str]]:
    """The planned muscles the safety re-check allows, as ``muscle:side:technique``."""
    catalogue = muscle_catalogue()
    choices = []
    for result in (session.safety_result or {}).get("muscles", []):
        if result.get("allowed"):
            value = f"{result['muscle']}:{result['side']}:{result['technique']}"
            name = catalogue[result["muscle"]].name
            technique = technique_words(result["technique"]).lower()
            choices.append((value, f"{name} ({side_words(result['side'])}), {technique}"))
    return choices


class NeedlingForm(StepForm):
    entry = forms.ChoiceField(label="Muscle (from the body chart plan)", choices=[])
    needle_gauge_mm = forms.DecimalField(label="Needle gauge (mm)", initial="0.25")
    needle_length_mm = forms.DecimalField(label="Needle length (mm)", initial="30")
    max_depth_mm = forms.DecimalField(label="Maximum depth (mm)")
    insertions = WholeNumberField(min_value=0)
    needles = WholeNumberField(
        label="Needles for this entry", help_text="The note's needle count adds these up."
    )
    local_twitch_responses = WholeNumberField(label="Local twitch responses", initial=0)
    duration_seconds = WholeNumberField(label="Duration (seconds)", required=False)
    frequency_hz = forms.DecimalField(label="Electrical: frequency (Hz)", required=False)
    intensity_ma = forms.DecimalField(label="Electrical: intensity (mA)", required=False)
    pulse_width_us = forms.DecimalField(label="Electrical: pulse width (µs)", required=False)
    duration_minutes = forms.DecimalField(label="Electrical: duration (minutes)", required=False)
    paired_with = forms.ChoiceField(
        label="Electrical: other electrode",
        required=False,
        choices=[],
        help_text="A circuit across the chest, upper back or head is refused.",
    )
    depth_warning_acknowledged = forms.BooleanField(
        required=False, label="I acknowledge the depth warning for this muscle"
    )

    ELECTRICAL = ("frequency_hz", "intensity_ma", "pulse_width_us", "duration_minutes")

    def __init__(
        self,
        *args: Any,
        session: TreatmentSession,
        entries: Sequence[NeedlingEntry] | None = None,
        **kwargs: Any,
    ) -> None:
        """``entries``: the session's needling entries, when the page has read them already."""
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["entry"]).choices = entry_choices(session)
        depths = planned_reference_depths(session)
        if depths:
            self.fields["max_depth_mm"].help_text = (
                "Reference depth at this patient's BMI: "
                + "; ".join(row.short for row in depths)
                + ". A reference line from the studies in the table above, not a safe depth."
            )
        if entries is None:
            entries = list(session.needling_entries.all())
        electrical = [e for e in entries if e.technique == "electrical"]
        cast(forms.ChoiceField, self.fields["paired_with"]).choices = [
            ("", "Not electrical"),
            ("this_entry", "Both electrodes are needles of this entry"),
            *[(str(e.public_id), f"{muscle_words(e.muscle)} ({e.side})") for e in electrical],
        ]

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        muscle, side, technique = data["entry"].split(":")
        electrical = {k: float(data[k]) for k in self.ELECTRICAL if data.get(k) is not None}
        return {
            "muscle": muscle,
            "side": side,
            "technique": technique,
            "needle_gauge_mm": float(data["needle_gauge_mm"]),
            "needle_length_mm": float(data["needle_length_mm"]),
            "max_depth_mm": float(data["max_depth_mm"]),
            "insertions": data["insertions"],
            "needles": data["needles"],
            "paired_with": data["paired_with"] or None,
            "local_twitch_responses": data["local_twitch_responses"],
            "duration_seconds": data["duration_seconds"],
            "electrical": electrical or None,
            "depth_warning_acknowledged": data["depth_warning_acknowledged"],
        }


class NeedleCountForm(StepForm):
    needles_used = WholeNumberField(label="Needles used")
    needles_removed = WholeNumberField(label="Needles removed and disposed of")


class AlertForm(StepForm):
    alert = forms.UUIDField(widget=forms.HiddenInput)
    resolution = forms.ChoiceField(choices=SafetyAlertResolution.choices, widget=forms.RadioSelect)
    note = forms.CharField(widget=TEXTAREA, label="What happened")


class ResponseForm(StepForm):
    pain_after = _pain("Pain after needling (0 to 10)")
    rom_motion = forms.ChoiceField(label="Range of motion measured", required=False, choices=[])
    rom_before = forms.DecimalField(label="ROM before", required=False)
    rom_after = forms.DecimalField(label="ROM after", required=False)
    aftercare_given = forms.MultipleChoiceField(
        label="Aftercare and safety-net advice given",
        required=False,
        choices=[],
        widget=forms.CheckboxSelectMultiple,
    )
    assessment = forms.CharField(required=False, widget=TEXTAREA)
    plan_notes = forms.CharField(required=False, widget=TEXTAREA, label="Plan")

    def __init__(self, *args: Any, required: frozenset[str] = frozenset(), **kwargs: Any) -> None:
        """``required``: advice this note cannot be signed without, marked in its label."""
        super().__init__(*args, **kwargs)
        motions = [(m.id, m.label) for m in get_instrument("rom").subscales]
        cast(forms.ChoiceField, self.fields["rom_motion"]).choices = [("", "None"), *motions]
        advice = [
            (a.id, f"{a.label} (required for this note)" if a.id in required else a.label)
            for a in aftercare_reference().advice
        ]
        cast(forms.MultipleChoiceField, self.fields["aftercare_given"]).choices = advice


class AdverseEventForm(StepForm):
    event_type = forms.ChoiceField(label="Type", choices=[])
    severity = forms.ChoiceField(choices=[], widget=forms.RadioSelect)
    onset_at = forms.DateTimeField(label="Onset", widget=DATETIME_INPUT)
    duration_minutes = WholeNumberField(label="Duration (minutes)", required=False)
    needling_entry = forms.ChoiceField(label="Linked muscle", required=False, choices=[])
    description = forms.CharField(required=False, widget=TEXTAREA)
    action_taken = forms.CharField(widget=TEXTAREA, label="Action taken")
    follow_up = forms.CharField(required=False, widget=TEXTAREA, label="Follow-up planned")

    def __init__(self, *args: Any, entries: list[NeedlingEntry], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        reference = adverse_event_reference()
        cast(forms.ChoiceField, self.fields["event_type"]).choices = [
            (t.id, t.label) for t in reference.types
        ]
        cast(forms.ChoiceField, self.fields["severity"]).choices = [
            (s.id, f"{s.label}: {s.definition}") for s in reference.severities
        ]
        names = muscle_catalogue()
        cast(forms.ChoiceField, self.fields["needling_entry"]).choices = [
            ("", "Not linked to a muscle"),
            *[(str(e.public_id), f"{names[e.muscle].name} ({e.side})") for e in entries],
        ]


class ConsentWithdrawForm(forms.Form):
    consent = forms.UUIDField(widget=forms.HiddenInput)
    reason = forms.CharField(required=False, widget=TEXTAREA, label="Reason for withdrawal")


class AddendumForm(forms.Form):
    text = forms.CharField(widget=TEXTAREA, label="Addendum")


CARRIED_COLUMNS = (
    ("insertions", "Insertions"),
    ("needles", "Needles"),
    ("max_depth_mm", "Maximum depth (mm)"),
    ("needle_length_mm", "Needle length (mm)"),
)


class CarriedForm(StepForm):
    """Today's pain and the muscles carried forward from the last visit, pre-filled: keep, change
    or leave out each one, then run the safety re-check and record them in one step."""

    pain_now = _pain("Pain today (NPRS 0 to 10)")

    def __init__(self, *args: Any, session: TreatmentSession, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.carried: list[dict[str, Any]] = list(
            (session.carried_forward or {}).get("entries", [])
        )
        self.rows: list[dict[str, Any]] = []
        self.headers = [label for _, label in CARRIED_COLUMNS]
        for index, entry in enumerate(self.carried):
            words = f"{muscle_words(entry['muscle'])} ({side_words(entry['side'])})"
            keep = f"keep_{index}"
            self.fields[keep] = forms.BooleanField(
                required=False, initial=True, label=f"Needle {words} again"
            )
            columns = []
            for name, label in CARRIED_COLUMNS:
                key = f"{name}_{index}"
                field: forms.Field
                if name.endswith("_mm"):
                    field = forms.DecimalField(label=f"{label}: {words}", required=False)
                else:
                    field = WholeNumberField(label=f"{label}: {words}", required=False)
                field.initial = entry.get(name)
                self.fields[key] = field
                columns.append(self[key])
            technique = technique_words(entry["technique"]).lower()
            self.rows.append(
                {"words": words, "technique": technique, "keep": self[keep], "columns": columns}
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for index in range(len(self.carried)):
            if not data.get(f"keep_{index}"):
                continue
            for name, _ in CARRIED_COLUMNS:
                if data.get(f"{name}_{index}") is None and f"{name}_{index}" not in self.errors:
                    self.add_error(f"{name}_{index}", "Enter a value or leave this muscle out.")
        return data

    def confirmed_entries(self) -> list[dict[str, Any]]:
        """The kept muscles with the numbers as confirmed, for ``carried_forward_confirm``."""
        data = self.cleaned_data
        entries = []
        for index, entry in enumerate(self.carried):
            if not data.get(f"keep_{index}"):
                continue
            confirmed = {
                "muscle": entry["muscle"],
                "side": entry["side"],
                "technique": entry["technique"],
                "needle_gauge_mm": float(entry.get("needle_gauge_mm", 0.25)),
                "local_twitch_responses": int(entry.get("local_twitch_responses") or 0),
                "duration_seconds": entry.get("duration_seconds"),
            }
            for name, _ in CARRIED_COLUMNS:
                value = data[f"{name}_{index}"]
                confirmed[name] = float(value) if name.endswith("_mm") else int(value)
            entries.append(confirmed)
        return entries

    def field_for(self, error_field: str) -> str | None:
        """``entries.1.max_depth_mm`` from the service: the form field it belongs to."""
        parts = error_field.split(".")
        if len(parts) == 3 and parts[0] == "entries":
            candidate = f"{parts[2]}_{parts[1]}"
            if candidate in self.fields:
                return candidate
        return None


class EvaluationForm(StepForm):
    """The fields of a PT evaluation; a discharge adds its reason and the status at discharge."""

    history = forms.CharField(required=False, widget=TEXTAREA, label="History (subjective)")
    systems_review = forms.CharField(required=False, widget=TEXTAREA, label="Systems review")
    tests_and_measures = forms.CharField(
        required=False, widget=TEXTAREA, label="Tests and measures"
    )
    goals = forms.CharField(required=False, widget=TEXTAREA, label="Goals")
    discharge_reason = forms.CharField(
        required=False, widget=TEXTAREA, label="Reason for discharge"
    )
    discharge_status = forms.CharField(required=False, widget=TEXTAREA, label="Status at discharge")

    def __init__(self, *args: Any, note_type: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if note_type != "discharge":
            del self.fields["discharge_reason"]
            del self.fields["discharge_status"]
