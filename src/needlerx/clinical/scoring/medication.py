"""Medication reliance: analgesic days per week and opioid MME per day (CDC 2022 factors).

A drug without a CDC 2022 factor (buprenorphine, non-transdermal fentanyl, anything not in
``data/instruments/mme.yaml``) is refused with a message; it is never guessed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from needlerx.clinical.errors import ClinicalInputError
from needlerx.clinical.scoring.inputs import (
    check_value,
    is_number,
    reject_unknown_keys,
    require_mapping,
)
from needlerx.clinical.scoring.library import Instrument, MmeTable, Opioid, mme_table
from needlerx.clinical.scoring.result import ScoreResult, SubScore, build_result, rounded

MEDICATION_FIELDS = ("analgesic_days_per_week", "opioids")
OPIOID_FIELDS = ("drug", "dose", "unit", "doses_per_day")
MAX_DOSES_PER_DAY = 24


def _opioid(field: str, drug: object, table: MmeTable) -> Opioid:
    found = table.opioid(drug) if isinstance(drug, str) else None
    if found is not None:
        return found
    refusal = next((r for r in table.not_convertible if r.id == drug), None)
    if refusal is not None:
        raise ClinicalInputError(f"{field}.drug", refusal.message)
    allowed = ", ".join(opioid.id for opioid in table.opioids)
    raise ClinicalInputError(
        f"{field}.drug",
        f"{drug!r} has no CDC 2022 MME conversion factor, so NeedleRx will not estimate one; "
        f"allowed: {allowed}",
    )


def _positive(field: str, label: str, value: object, upper: float | None = None) -> float:
    if not is_number(value) or float(value) <= 0 or (upper is not None and float(value) > upper):  # type: ignore[arg-type]
        limit = f" and at most {upper:g}" if upper is not None else ""
        raise ClinicalInputError(field, f"{label} must be a number above 0{limit} (got {value!r})")
    return float(value)  # type: ignore[arg-type]


def _daily_dose(field: str, entry: Mapping[str, Any], opioid: Opioid) -> float:
    """mg per day, or mcg/h for a transdermal fentanyl patch."""
    if entry.get("unit") != opioid.dose_unit:
        raise ClinicalInputError(
            f"{field}.unit",
            f"{opioid.name} doses must be in {opioid.dose_unit} (got {entry.get('unit')!r})",
        )
    dose = _positive(f"{field}.dose", f"{opioid.name} dose", entry.get("dose"))
    if opioid.dose_unit == "mcg/h":
        if "doses_per_day" in entry:
            raise ClinicalInputError(
                f"{field}.doses_per_day",
                f"{opioid.name} is a continuous rate in mcg/h: leave doses_per_day out",
            )
        return dose
    per_day = _positive(
        f"{field}.doses_per_day", "doses_per_day", entry.get("doses_per_day"), MAX_DOSES_PER_DAY
    )
    return dose * per_day


def opioid_mme(field: str, entry: object, table: MmeTable) -> dict[str, Any]:
    """One opioid entry -> its daily dose and MME per day, with the factor used."""
    mapping = require_mapping(field, entry, "An opioid entry")
    reject_unknown_keys(field, mapping, OPIOID_FIELDS, "An opioid entry")
    opioid = _opioid(field, mapping.get("drug"), table)
    daily = _daily_dose(field, mapping, opioid)
    unit = "mcg/h" if opioid.dose_unit == "mcg/h" else "mg/day"
    return {
        "drug": opioid.id,
        "daily_dose": rounded(daily),
        "daily_dose_unit": unit,
        "factor": opioid.factor,
        "mme_per_day": rounded(daily * opioid.factor),
    }


def _cautions(table: MmeTable, details: tuple[dict[str, Any], ...]) -> tuple[str, ...]:
    drugs = {detail["drug"] for detail in details}
    found = {o.caution for o in table.opioids if o.caution and o.id in drugs}
    return tuple(sorted(found)) + ((table.cautions[1],) if details else ())


def score_medication(instrument: Instrument, responses: Mapping[str, Any]) -> ScoreResult:
    """``{"analgesic_days_per_week": 5, "opioids": [{"drug", "dose", "unit", ...}]}``."""
    reject_unknown_keys("responses", responses, MEDICATION_FIELDS, "Medication use")
    measure = instrument.score
    days = check_value(
        "responses.analgesic_days_per_week",
        "Analgesic days per week",
        responses.get("analgesic_days_per_week"),
        measure.range if measure else (0, 7),
        "integer",
    )
    opioids = responses.get("opioids", [])
    if not isinstance(opioids, list):
        raise ClinicalInputError("responses.opioids", "opioids must be a list (may be empty)")
    table = mme_table()
    details = tuple(
        opioid_mme(f"responses.opioids[{n}]", entry, table) for n, entry in enumerate(opioids)
    )
    total = sum(detail["mme_per_day"] for detail in details)
    mme_measure = instrument.subscales[0]
    notes = _cautions(table, details)
    return build_result(
        instrument,
        days,
        items_answered=1 + len(details),
        subscales={mme_measure.id: SubScore.of(mme_measure, rounded(total))},
        notes=notes,
        details=details,
    )
