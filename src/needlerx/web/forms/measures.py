"""Entry forms for outcome measures, generated from the instrument library.

The form only turns what was typed into the public response convention (docs/instruments.md);
the instruments service scores it with the clinical core, which decides what is allowed. Item
ranges come from the library, so a value out of range is named next to its field with the
allowed values before anything is sent to the service.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.utils import timezone

from needlerx.clinical.reference import muscles_for_new_records
from needlerx.clinical.scoring.library import Instrument, Item, Measure, mme_table

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
OPIOID_ROWS = 3
RADIO_MAX_OPTIONS = 11
# Presentation: statements a patient ticks are checkboxes (unticked = 0), as on the paper form.
TICK_INSTRUMENTS = ("rmdq",)


def _number(raw: str) -> int | float | str:
    """``"7"`` -> 7, ``"3.5"`` -> 3.5; anything else is passed on for the core to name."""
    text = raw.strip()
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            continue
    return text


def _allowed(low: float, high: float, value_type: str) -> str:
    kind = "a whole number" if value_type == "integer" else "a number"
    return f"must be {kind} from {low:g} to {high:g}"


def _anchor_text(item: Item) -> str:
    return "; ".join(f"{value} = {label}" for value, label in sorted((item.anchors or {}).items()))


def _number_input(low: float | None, high: float | None, value_type: str) -> forms.NumberInput:
    attrs: dict[str, Any] = {"step": "1" if value_type == "integer" else "any"}
    if low is not None and high is not None:
        attrs.update(min=f"{low:g}", max=f"{high:g}")
    return forms.NumberInput(attrs=attrs)


def _scale_choices(item: Item) -> list[tuple[str, str]]:
    anchors = item.anchors or {}
    values = range(int(item.min), int(item.max) + 1)
    return [(str(v), f"{v} · {anchors[v]}" if v in anchors else str(v)) for v in values]


def _opioid_unit(drug: str, taken_in_doses: bool) -> str:
    """The drug's CDC unit; a drug with several units (buprenorphine) is a patch in mcg/h
    when no doses per day are given, else mg."""
    table = mme_table()
    known = table.opioid(drug)
    if known is not None:
        return known.dose_unit
    recorded = table.recorded_only(drug)
    if recorded is not None and "mcg/h" in recorded.dose_units and not taken_in_doses:
        return "mcg/h"
    return "mg"


class MeasureForm(forms.Form):
    """One administration of ``instrument``: its items (or measurement fields) and the time."""

    taken_at = forms.DateTimeField(
        label="Taken at", widget=DATETIME_INPUT, required=False, help_text="Empty means now."
    )

    def __init__(
        self,
        *args: Any,
        instrument: Instrument,
        named_baseline: Mapping[str, str] | None = None,
        muscles_measured: Iterable[str] = (),
        **kwargs: Any,
    ) -> None:
        """``muscles_measured``: PPT muscles the episode already follows; a grouped entry (the
        lumbar erector spinae) is offered only to continue its series."""
        kwargs.setdefault(
            "initial", {"taken_at": timezone.localtime().replace(second=0, microsecond=0)}
        )
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        self.named_baseline = dict(named_baseline) if named_baseline else None
        self.muscles_measured = set(muscles_measured)
        self.opioid_rows: list[int] = []
        self.ranges: dict[str, tuple[float, float, str]] = {}
        if instrument.patient_named_items is not None:
            self._named_item_fields()
            self.order_fields([name for name in self.fields if name != "taken_at"] + ["taken_at"])
            return
        builder = {
            "ppt": self._ppt_fields,
            "rom": self._rom_fields,
            "spasm": self._spasm_fields,
            "medication": self._medication_fields,
        }.get(instrument.scoring.method, self._item_fields)
        builder()
        self.order_fields([name for name in self.fields if name != "taken_at"] + ["taken_at"])

    # --- fields -------------------------------------------------------------------------------

    def _item_fields(self) -> None:
        for item in self.instrument.items:
            name = f"item_{item.key}"
            label = f"{item.key}. {item.label}"
            help_text = _anchor_text(item)
            if self.instrument.id in TICK_INSTRUMENTS:
                self.fields[name] = forms.BooleanField(label=label, required=False)
                continue
            span = int(item.max - item.min) + 1
            if item.value_type == "integer" and span <= RADIO_MAX_OPTIONS:
                self.fields[name] = forms.ChoiceField(
                    label=label,
                    required=False,
                    choices=_scale_choices(item),
                    widget=forms.RadioSelect,
                    error_messages={"invalid_choice": _allowed(item.min, item.max, "integer")},
                )
            else:
                self._numeric(name, label, item.min, item.max, item.value_type, help_text)

    def _named_item_fields(self) -> None:
        """PSFS: at baseline a name and a rating per activity; at follow-up the baseline's
        activities, in the same order, shown as text with a rating each (all required)."""
        named = self.instrument.patient_named_items
        assert named is not None  # noqa: S101
        baseline = self.named_baseline
        for item in self.instrument.items:
            if baseline is not None and item.key not in baseline:
                continue
            if baseline is None:
                self.fields[f"activity_{item.key}"] = forms.CharField(
                    label=f"{named.label} {item.key}",
                    required=False,
                    max_length=named.max_length,
                    help_text="In the patient's words; leave empty if fewer activities.",
                )
            label = f"{item.key}. {baseline[item.key]}" if baseline else f"{item.key}. Rating"
            self.fields[f"item_{item.key}"] = forms.ChoiceField(
                label=label,
                required=baseline is not None,
                choices=_scale_choices(item),
                widget=forms.RadioSelect,
                error_messages={
                    "invalid_choice": _allowed(item.min, item.max, "integer"),
                    "required": "Rate this activity, as at baseline.",
                },
            )

    def _numeric(
        self,
        name: str,
        label: str,
        low: float | None,
        high: float | None,
        value_type: str,
        help_text: str = "",
        required: bool = False,
    ) -> None:
        self.fields[name] = forms.CharField(
            label=label,
            required=required,
            help_text=help_text,
            widget=_number_input(low, high, value_type),
        )
        if low is not None and high is not None:
            self.ranges[name] = (low, high, value_type)

    def _measure_field(self, name: str, measure: Measure, required: bool = False) -> None:
        low, high = measure.range if measure.range else (None, None)
        label = f"{measure.label} ({measure.unit})"
        self._numeric(name, label, low, high, measure.value_type, required=required)

    def _ppt_fields(self) -> None:
        offered = muscles_for_new_records(keep=self.muscles_measured)
        muscles = sorted(offered, key=lambda m: m.name)
        settings = self.instrument.ppt
        assert settings is not None and self.instrument.score is not None  # noqa: S101
        self.fields["muscle"] = forms.ChoiceField(
            choices=[("", "Choose a muscle"), *[(m.id, m.name) for m in muscles]]
        )
        self.fields["side"] = forms.ChoiceField(
            choices=[(s, s.capitalize()) for s in settings.sides]
        )
        for trial in range(1, settings.max_trials + 1):
            low, high = self.instrument.score.range or (0, 0)
            self._numeric(
                f"trial_{trial}",
                f"Trial {trial} ({self.instrument.score.unit})",
                low,
                high,
                "number",
                required=trial == 1,
            )

    def _rom_fields(self) -> None:
        for motion in self.instrument.subscales:
            self._measure_field(motion.id, motion)

    def _spasm_fields(self) -> None:
        assert self.instrument.score is not None  # noqa: S101
        self._measure_field("episodes_per_week", self.instrument.score, required=True)
        for measure in self.instrument.subscales:
            self._measure_field(measure.id, measure)

    def _medication_fields(self) -> None:
        assert self.instrument.score is not None  # noqa: S101
        self._measure_field("analgesic_days_per_week", self.instrument.score, required=True)
        table = mme_table()
        drugs = [(o.id, f"{o.name} ({o.dose_unit})") for o in table.opioids]
        recorded = [
            (o.id, f"{o.name} (recorded, not converted to MME)")
            for o in table.recorded_not_converted
        ]
        refused = [(n.id, f"{n.id.capitalize()} (no CDC factor)") for n in table.not_convertible]
        for row in range(1, OPIOID_ROWS + 1):
            self.fields[f"opioid_{row}_drug"] = forms.ChoiceField(
                label=f"Opioid {row}",
                required=False,
                choices=[("", "None"), *drugs, *recorded, *refused],
            )
            self._numeric(f"opioid_{row}_dose", f"Opioid {row}: dose", None, None, "number")
            self._numeric(
                f"opioid_{row}_doses_per_day",
                f"Opioid {row}: doses per day",
                None,
                None,
                "number",
                help_text="Leave empty for a patch (its dose is in mcg/h).",
            )
        for measure in self.instrument.additional_scores:
            self._measure_field(f"other_{measure.id}", measure)

    # --- validation and the response convention ----------------------------------------------

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.instrument.patient_named_items is not None and self.named_baseline is None:
            self._check_named_items(data)
        for name, (low, high, value_type) in self.ranges.items():
            raw = data.get(name)
            if raw in (None, ""):
                continue
            value = _number(str(raw))
            whole = isinstance(value, int) or value_type != "integer"
            if isinstance(value, str) or not whole or not low <= value <= high:
                self.add_error(name, f"{_allowed(low, high, value_type)} (got {raw})")
        return data

    def _check_named_items(self, data: Mapping[str, Any]) -> None:
        for item in self.instrument.items:
            name = (data.get(f"activity_{item.key}") or "").strip()
            rated = data.get(f"item_{item.key}") not in (None, "")
            if rated and not name:
                self.add_error(f"activity_{item.key}", "Name the activity this rating is for.")
            elif name and not rated:
                self.add_error(f"item_{item.key}", "Rate this activity from 0 to 10.")

    def responses(self) -> dict[str, Any]:
        """The answers in the public response convention of the instrument."""
        data = self.cleaned_data
        method = self.instrument.scoring.method
        if method == "ppt":
            trials = [_number(data[n]) for n in self.fields if n.startswith("trial_") and data[n]]
            return {"muscle": data["muscle"], "side": data["side"], "trials_kg_cm2": trials}
        if method == "medication":
            return self._medication_responses(data)
        if method in ("rom", "spasm"):
            return {name: _number(data[name]) for name in self.ranges if data.get(name)}
        answers: dict[str, Any] = {}
        for item in self.instrument.items:
            value = data.get(f"item_{item.key}")
            if isinstance(value, bool):
                answers[item.key] = int(value)
            elif value not in (None, ""):
                answers[item.key] = _number(str(value))
        named = self.instrument.patient_named_items
        if named is not None:
            names = self.named_baseline or {
                item.key: data[f"activity_{item.key}"].strip()
                for item in self.instrument.items
                if (data.get(f"activity_{item.key}") or "").strip()
            }
            answers[named.field] = names
        return answers

    def _medication_responses(self, data: dict[str, Any]) -> dict[str, Any]:
        opioids = []
        for row in range(1, OPIOID_ROWS + 1):
            drug = data.get(f"opioid_{row}_drug")
            if not drug:
                continue
            self.opioid_rows.append(row)
            per_day = data.get(f"opioid_{row}_doses_per_day")
            entry: dict[str, Any] = {
                "drug": drug,
                "dose": _number(data.get(f"opioid_{row}_dose") or ""),
                "unit": _opioid_unit(drug, bool(per_day)),
            }
            if per_day or entry["unit"] == "mg":
                entry["doses_per_day"] = _number(per_day or "")
            opioids.append(entry)
        days = _number(data.get("analgesic_days_per_week") or "")
        others = {
            measure.id: _number(data[f"other_{measure.id}"])
            for measure in self.instrument.additional_scores
            if data.get(f"other_{measure.id}")
        }
        answers: dict[str, Any] = {"analgesic_days_per_week": days, "opioids": opioids}
        if others:
            answers["other_medications"] = others
        return answers

    def field_for(self, path: str | None) -> str | None:
        """The form field a service error names (``responses.3`` -> ``item_3``), if any."""
        if not path:
            return None
        if path == "taken_at":
            return path
        inner = path.removeprefix("responses.")
        candidates = [f"item_{inner}", inner]
        if match := re.fullmatch(r"activities\.(\d+)", inner):
            candidates.append(f"activity_{match.group(1)}")
        if match := re.fullmatch(r"trials_kg_cm2\[(\d+)\]", inner):
            candidates.append(f"trial_{int(match.group(1)) + 1}")
        if match := re.fullmatch(r"other_medications\.(\w+)", inner):
            candidates.append(f"other_{match.group(1)}")
        if match := re.fullmatch(r"opioids\[(\d+)\]\.(\w+)", inner):
            index = int(match.group(1))
            row = self.opioid_rows[index] if index < len(self.opioid_rows) else index + 1
            candidates.append(f"opioid_{row}_{match.group(2)}")
        return next((name for name in candidates if name in self.fields), None)
