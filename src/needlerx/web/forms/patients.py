"""Web forms for patients: they parse input; the services validate, write and audit."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any, cast

from django import forms

from needlerx.accounts.models import Clinic
from needlerx.clinical import episodes as episode_reference
from needlerx.clinical.reference import AREAS, FactDefinition, fact_catalogue, fact_choices
from needlerx.core import local, units
from needlerx.core.errors import ApplicationError
from needlerx.patients.models import MedicationClass, Patient, Sex
from needlerx.web.forms.fields import LocalDateField, WholeNumberField
from needlerx.web.forms.site_grid import SiteGridField, grid_name, site_cells, sites_as_records

SITE_SIDES = ("left", "right", "midline")


def add_application_error(form: forms.Form, error: ApplicationError) -> None:
    """Show a service's error next to the field it names, or at the top of the form."""
    named = (error.field or "").removeprefix("facts.")
    named = getattr(form, "service_field_aliases", {}).get(named, named)
    field = named if named in form.fields else None
    message = error.message if field or not error.field else f"{error.field}: {error.message}"
    form.add_error(field, message)


# Where the clinic reads US customary units: the form field, its label, and the conversion to
# the stored metric value (core.units).
US_CUSTOMARY_BODY_MEASURES: dict[str, tuple[str, str, Callable[[Decimal], Decimal]]] = {
    "height_cm": ("height_in", "Height (inches)", units.centimeters_from_inches),
    "weight_kg": ("weight_lb", "Weight (pounds)", units.kilograms_from_pounds),
}
# A stored value as a US customary form shows it again.
US_CUSTOMARY_SHOWN: dict[str, Callable[[Decimal], Decimal]] = {
    "height_cm": units.inches_from_centimeters,
    "weight_kg": units.pounds_from_kilograms,
}


class PatientDetailsForm(forms.Form):
    """A patient's demographics, as registered and as corrected later (``patient_update``);
    height and weight in inches and pounds where the clinic reads US customary units."""

    medical_record_number = forms.CharField(label="Medical record number (MRN)", max_length=32)
    given_name = forms.CharField(max_length=100)
    family_name = forms.CharField(max_length=100)
    date_of_birth = LocalDateField(label="Date of birth")
    sex = forms.ChoiceField(choices=Sex.choices, initial=Sex.UNKNOWN)
    phone = forms.CharField(max_length=32, required=False)
    email = forms.EmailField(required=False)
    address = forms.CharField(max_length=300, required=False)
    height_cm = forms.DecimalField(label="Height (cm)", required=False, decimal_places=1)
    weight_kg = forms.DecimalField(label="Weight (kg)", required=False, decimal_places=1)
    emergency_contact_name = forms.CharField(max_length=200, required=False)
    emergency_contact_phone = forms.CharField(max_length=32, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if local.current().us_customary:
            self._use_us_customary_units()

    @classmethod
    def for_patient(cls, patient: Patient, data: Any = None) -> PatientDetailsForm:
        initial = {name: getattr(patient, name) for name in cls.base_fields}
        return cls(data, initial=initial)

    def _use_us_customary_units(self) -> None:
        """Height in inches and weight in pounds in place of cm and kg (stored metric)."""
        fields: dict[str, forms.Field] = {}
        for name, field in self.fields.items():
            if name in US_CUSTOMARY_BODY_MEASURES:
                us_name, label, _ = US_CUSTOMARY_BODY_MEASURES[name]
                fields[us_name] = forms.DecimalField(
                    label=label, required=False, decimal_places=2, min_value=0
                )
                stored = self.initial.get(name)
                if stored is not None:
                    self.initial[us_name] = units.plain(US_CUSTOMARY_SHOWN[name](Decimal(stored)))
            else:
                fields[name] = field
        self.fields = fields

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for metric_name, (us_name, _, to_metric) in US_CUSTOMARY_BODY_MEASURES.items():
            if us_name in self.fields:
                value = cleaned.pop(us_name, None)
                cleaned[metric_name] = None if value is None else to_metric(value)
                self._check_range(metric_name, us_name, cleaned[metric_name])
        return cleaned

    def _check_range(self, metric_name: str, us_name: str, stored: Decimal | None) -> None:
        """The screen's range (facts.yaml) for height or weight, said in the units typed."""
        fact = fact_catalogue()[metric_name]
        if stored is None or fact.minimum is None or fact.maximum is None:
            return
        low, high = Decimal(str(fact.minimum)), Decimal(str(fact.maximum))
        if not low <= stored <= high:
            convert: Callable[[Decimal], Decimal] = units.inches_from_centimeters
            unit = "inches"
            if metric_name == "weight_kg":
                convert, unit = units.pounds_from_kilograms, "pounds"
            self.add_error(
                us_name,
                f"must be from {units.plain(convert(low))} to {units.plain(convert(high))} {unit}",
            )

    service_field_aliases = {
        metric: us_name for metric, (us_name, _, _) in US_CUSTOMARY_BODY_MEASURES.items()
    }


class PatientForm(PatientDetailsForm):
    """A new patient: their details and the clinic that registers them."""

    clinic = forms.ModelChoiceField(queryset=Clinic.objects.none(), empty_label=None)
    field_order = ["clinic"]

    def __init__(self, *args: Any, clinics: Iterable[Clinic], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["clinic"])  # type: ignore[type-arg]
        field.queryset = Clinic.objects.filter(pk__in=[c.pk for c in clinics]).order_by("name")


class EpisodeForm(forms.Form):
    regions = forms.MultipleChoiceField(
        choices=[], widget=forms.CheckboxSelectMultiple, label="Regions treated"
    )
    onset_date = LocalDateField(label="Onset of symptoms")
    diagnosis_codes = forms.CharField(
        required=False,
        label="Diagnosis codes (ICD-10-CM)",
        help_text="Separate codes with commas, e.g. M54.2, M79.12",
    )
    referral_source = forms.CharField(max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        reference = episode_reference.episode_reference()
        field = cast(forms.MultipleChoiceField, self.fields["regions"])
        field.choices = [(region.id, region.label) for region in reference.regions]

    def codes(self) -> list[str]:
        raw = self.cleaned_data.get("diagnosis_codes") or ""
        return [code.strip().upper() for code in raw.split(",") if code.strip()]


class MedicationForm(forms.Form):
    name = forms.CharField(max_length=120, label="Medicine")
    drug_class = forms.ChoiceField(choices=MedicationClass.choices, label="Class")
    opioid = forms.CharField(
        max_length=40,
        required=False,
        label="Opioid (for morphine equivalents)",
        help_text="Only for opioids, e.g. oxycodone",
    )
    dose = forms.DecimalField(required=False, decimal_places=2)
    dose_unit = forms.CharField(max_length=10, required=False, help_text="e.g. mg, mcg/h")
    doses_per_day = forms.DecimalField(required=False, decimal_places=1)
    started_on = LocalDateField(label="Started on", required=False)
    stopped_on = LocalDateField(label="Stopped on", required=False)

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        return {key: value for key, value in data.items() if value not in ("", None)}


# --- evaluation: screening facts, rendered from the clinical fact catalogue -------------------


def _none_field_name(fact_id: str) -> str:
    return f"{fact_id}__none"


def _site_key(sites: Iterable[Mapping[str, str]]) -> list[tuple[str, str]]:
    return sorted((site["area"], site["side"]) for site in sites)


GROUP_TITLES = {
    "red_flag": "Red flags",
    "red_flag_item": "History that can point to a red flag",
    "patient": "History",
    "measurement": "Measurements",
}
FROM_THE_PATIENT_RECORD = ("age", "height_cm", "weight_kg")


class HistoryFactsForm(forms.Form):
    """Every screening fact a clinician answers; on save only the changed ones are recorded.

    Booleans are Yes/No radios ("Not answered" only while nothing was recorded: facts are
    append-only), numbers and dates are inputs (emptying one clears it), lists of red flags are
    checkboxes, site facts are area-by-side checkboxes with a "None" tick. ``required`` names the
    questions the screen needs before needling; they are marked on the page.
    """

    def __init__(
        self,
        *args: Any,
        current: Mapping[str, Any],
        required: Iterable[str] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.current = dict(current)
        self.required = set(required)
        self.definitions = {
            fact.id: fact
            for fact in fact_catalogue().values()
            if fact.provided_by == "clinician" and fact.id not in FROM_THE_PATIENT_RECORD
        }
        for fact in self.definitions.values():
            self._add_fields(fact)
            if fact.id in self.fields:
                self.fields[fact.id].needed_for_screen = fact.id in self.required  # type: ignore[attr-defined]

    def _add_fields(self, fact: FactDefinition) -> None:
        value = self.current.get(fact.id)
        if fact.kind == "date":
            self.fields[fact.id] = LocalDateField(
                label=fact.label, help_text=fact.description, required=False, initial=value
            )
        elif fact.kind == "fact_ids":
            catalogue = fact_catalogue()
            self.fields[fact.id] = forms.MultipleChoiceField(
                label=fact.label,
                help_text=fact.description,
                required=False,
                initial=value or [],
                widget=forms.CheckboxSelectMultiple,
                choices=[
                    (choice, fact.choices.get(choice) or catalogue[choice].label)
                    for choice in fact_choices(fact.id)
                ],
            )
        elif fact.kind == "boolean":
            choices = [("yes", "Yes"), ("no", "No")]
            if value is None:
                choices.insert(0, ("", "Not answered"))
            initial = "" if value is None else ("yes" if value else "no")
            self.fields[fact.id] = forms.ChoiceField(
                label=fact.label,
                help_text=fact.description,
                choices=choices,
                required=False,
                initial=initial,
                widget=forms.RadioSelect,
            )
        elif fact.kind in ("integer", "number"):
            label = f"{fact.label} ({fact.unit})" if fact.unit else fact.label
            field_class: type[forms.FloatField] = (
                WholeNumberField if fact.kind == "integer" else forms.FloatField  # type: ignore[assignment]
            )
            self.fields[fact.id] = field_class(
                label=label,
                help_text=fact.description,
                required=False,
                initial=value,
                min_value=fact.minimum,
                max_value=fact.maximum,
            )
        else:
            none = forms.BooleanField(
                required=False,
                initial=value == [],
                label=f"None: no {fact.label.lower()} anywhere",
                widget=forms.CheckboxInput(attrs={"data-site-none": True}),  # static/sites.js
            )
            none.needed_for_screen = fact.id in self.required  # type: ignore[attr-defined]
            self.fields[_none_field_name(fact.id)] = none
            marked = {(site["area"], site["side"]) for site in value or []}
            self.fields[grid_name(fact.id)] = SiteGridField(
                areas=AREAS,
                sides=SITE_SIDES,
                label=fact.label,
                initial=[(a, s) for a in AREAS for s in SITE_SIDES if (a, s) in marked],
            )

    def groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        grouped: dict[str, list[forms.BoundField]] = {key: [] for key in GROUP_TITLES}
        for fact in self.definitions.values():
            if fact.group in grouped and fact.id in self.fields:
                grouped[fact.group].append(self[fact.id])
        return [(GROUP_TITLES[key], fields) for key, fields in grouped.items() if fields]

    def unanswered(self) -> list[dict[str, str]]:
        """Required questions not yet answered, each with the id of its first input."""
        rows = []
        for fact_id in sorted(self.required, key=list(self.definitions).index):
            if fact_id not in self.definitions:
                continue
            fact = self.definitions[fact_id]
            anchor = _none_field_name(fact_id) if fact.kind == "sites" else fact_id
            suffix = "_0" if fact.kind == "boolean" else ""
            rows.append({"label": fact.label, "anchor": f"id_{anchor}{suffix}"})
        return rows

    def site_tables(self) -> list[dict[str, Any]]:
        tables = []
        for fact in self.definitions.values():
            if fact.kind != "sites":
                continue
            ticked = frozenset(self[grid_name(fact.id)].value() or [])
            rows = [
                {
                    "area": area.replace("_", " "),
                    "cells": site_cells(fact.id, fact.label, area, SITE_SIDES, ticked),
                }
                for area in AREAS
            ]
            tables.append(
                {
                    "fact": fact,
                    "none": self[_none_field_name(fact.id)],
                    "rows": rows,
                    "sides": SITE_SIDES,
                }
            )
        return tables

    def changed_facts(self) -> dict[str, Any]:
        """Fact id -> new value, for every fact whose submitted value differs from the record."""
        changed: dict[str, Any] = {}
        for fact in self.definitions.values():
            value = self._submitted(fact)
            if value is None:
                continue
            if fact.kind == "sites":
                before = self.current.get(fact.id)
                none = bool(self.cleaned_data.get(_none_field_name(fact.id)))
                differs = _site_key(value) != _site_key(before or []) or (none and before is None)
                if differs and (value or none or before is not None):
                    changed[fact.id] = value
            elif value != self.current.get(fact.id):
                changed[fact.id] = value
        for fact in self.definitions.values():
            clears = fact.kind in ("integer", "number", "date") and fact.id not in changed
            if clears and self._submitted(fact) is None and self.current.get(fact.id) is not None:
                changed[fact.id] = None
            implied_now_false = fact.implies is not None and changed.get(fact.implies) is False
            if implied_now_false and self.current.get(fact.id) not in (None, False):
                changed[fact.id] = None  # "not pregnant" clears the trimester
        return changed

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for fact in self.definitions.values():
            ticked = cleaned.get(grid_name(fact.id))
            if fact.kind == "sites" and cleaned.get(_none_field_name(fact.id)) and ticked:
                self.add_error(
                    _none_field_name(fact.id),
                    f"{fact.label}: tick either None or the sites, not both",
                )
        return cleaned

    def _submitted(self, fact: FactDefinition) -> Any:
        data = self.cleaned_data
        if fact.kind == "boolean":
            raw = data.get(fact.id)
            return None if not raw else raw == "yes"
        if fact.kind in ("integer", "number"):
            return data.get(fact.id)
        if fact.kind == "date":
            day = data.get(fact.id)
            return day.isoformat() if day else None
        if fact.kind == "fact_ids":
            chosen = sorted(data.get(fact.id) or [])
            return chosen if chosen or self.current.get(fact.id) else None
        return sites_as_records(data.get(grid_name(fact.id)) or [])
