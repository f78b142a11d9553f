"""Medication use: analgesic days per week, opioid MME per day (CDC 2022 factors), other
medication classes as days per week, and the daily-dose cautions.

Buprenorphine is recorded as an opioid that is not converted: the result carries the flag
"buprenorphine: not converted" and it is never added to the MME total. Any other drug without
a CDC 2022 factor (non-transdermal fentanyl, anything not in ``data/instruments/mme.yaml``) is
refused with a message; a factor is never guessed.
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
from needlerx.clinical.scoring.library import (
    Instrument,
    MmeTable,
    Opioid,
    RecordedNotConverted,
    mme_table,
)
from needlerx.clinical.scoring.result import ScoreResult, SubScore, build_result, rounded

MEDICATION_FIELDS = ("analgesic_days_per_week", "opioids", "other_medications")
OPIOID_FIELDS = ("drug", "dose", "unit", "doses_per_day")
MAX_DOSES_PER_DAY = 24


def _opioid(field: str, drug: object, table: MmeTable) -> Opioid | RecordedNotConverted:
    found = table.opioid(drug) if isinstance(drug, str) else None
    recorded = table.recorded_only(drug) if isinstance(drug, str) else None
    if found is not None:
        return found
    if recorded is not None:
        return recorded
    refusal = next((r for r in table.not_convertible if r.id == drug), None)
    if refusal is not None:
        raise ClinicalInputError(f"{field}.drug", refusal.message)
    allowed = ", ".join(
        [opioid.id for opioid in table.opioids] + [o.id for o in table.recorded_not_converted]
    )
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


def _daily_dose(field: str, entry: Mapping[str, Any], name: str, unit: str) -> float:
    """mg per day, or mcg/h for a transdermal patch."""
    dose = _positive(f"{field}.dose", f"{name} dose", entry.get("dose"))
    if unit == "mcg/h":
        if "doses_per_day" in entry:
            raise ClinicalInputError(
                f"{field}.doses_per_day",
                f"{name} in mcg/h is a continuous rate (a patch): leave doses_per_day out",
            )
        return dose
    per_day = _positive(
        f"{field}.doses_per_day", "doses_per_day", entry.get("doses_per_day"), MAX_DOSES_PER_DAY
    )
    return dose * per_day


def _unit(field: str, entry: Mapping[str, Any], name: str, units: list[str]) -> str:
    unit = entry.get("unit")
    if unit not in units:
        raise ClinicalInputError(
            f"{field}.unit", f"{name} doses must be in {' or '.join(units)} (got {unit!r})"
        )
    return str(unit)


def opioid_mme(field: str, entry: object, table: MmeTable) -> dict[str, Any]:
    """One opioid entry -> its daily dose and MME per day, with the factor used.

    A drug recorded without conversion has ``factor`` and ``mme_per_day`` ``None``.
    """
    mapping = require_mapping(field, entry, "An opioid entry")
    reject_unknown_keys(field, mapping, OPIOID_FIELDS, "An opioid entry")
    opioid = _opioid(field, mapping.get("drug"), table)
    units: list[str] = [opioid.dose_unit] if isinstance(opioid, Opioid) else list(opioid.dose_units)
    unit = _unit(field, mapping, opioid.name, units)
    daily = _daily_dose(field, mapping, opioid.name, unit)
    factor = opioid.factor if isinstance(opioid, Opioid) else None
    return {
        "drug": opioid.id,
        "daily_dose": rounded(daily),
        "daily_dose_unit": "mcg/h" if unit == "mcg/h" else "mg/day",
        "factor": factor,
        "mme_per_day": rounded(daily * factor) if factor is not None else None,
    }


def _cautions(
    table: MmeTable, details: tuple[dict[str, Any], ...], total: float
) -> tuple[str, ...]:
    drugs = {detail["drug"] for detail in details}
    found = {o.caution for o in table.opioids if o.caution and o.id in drugs}
    recorded = tuple(o.message for o in table.recorded_not_converted if o.id in drugs)
    converted = any(detail["factor"] is not None for detail in details)
    dose = table.dose_caution(total)
    return (
        ((dose.message,) if dose else ())
        + tuple(sorted(found))
        + recorded
        + ((table.cautions[1],) if converted else ())
    )


def _flags(table: MmeTable, details: tuple[dict[str, Any], ...], total: float) -> tuple[str, ...]:
    drugs = {detail["drug"] for detail in details}
    flags = [f"{o.id}: not converted" for o in table.recorded_not_converted if o.id in drugs]
    dose = table.dose_caution(total)
    if dose is not None:
        flags.insert(0, f"opioids at or above {dose.at_or_above:g} MME/day")
    return tuple(flags)


def _other_medications(instrument: Instrument, raw: object) -> dict[str, SubScore]:
    """``{"muscle_relaxant": 5, ...}``: days per week for each class the clinic records."""
    if raw is None:
        return {}
    given = require_mapping("responses.other_medications", raw, "other_medications")
    classes = {measure.id: measure for measure in instrument.additional_scores}
    reject_unknown_keys("responses.other_medications", given, list(classes), "other_medications")
    found = {}
    for class_id, value in given.items():
        if value is None:
            continue
        measure = classes[class_id]
        field = f"responses.other_medications.{class_id}"
        days = check_value(field, measure.label, value, measure.range, "integer")
        found[class_id] = SubScore.of(measure, days)
    return found


def score_medication(instrument: Instrument, responses: Mapping[str, Any]) -> ScoreResult:
    """``{"analgesic_days_per_week": 5, "opioids": [{"drug", "dose", "unit", ...}],
    "other_medications": {"muscle_relaxant": 5}}``."""
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
    total = rounded(sum(d["mme_per_day"] for d in details if d["mme_per_day"] is not None))
    mme_measure = instrument.subscales[0]
    others = _other_medications(instrument, responses.get("other_medications"))
    return build_result(
        instrument,
        days,
        items_answered=1 + len(details) + len(others),
        subscales={mme_measure.id: SubScore.of(mme_measure, total)},
        additional_scores=others,
        notes=_cautions(table, details, total),
        details=details,
        flags=_flags(table, details, total),
    )
