"""Clinical measurements: pressure-pain threshold, range of motion and the spasm diary."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from needlerx.clinical.errors import ClinicalInputError, ReferenceDataError
from needlerx.clinical.scoring.inputs import check_value, reject_unknown_keys
from needlerx.clinical.scoring.library import Instrument, Measure
from needlerx.clinical.scoring.result import ScoreResult, SubScore, build_result, rounded

PPT_FIELDS = ("muscle", "side", "kg_cm2", "kpa", "trials_kg_cm2")
PPT_VALUE_FIELDS = ("kg_cm2", "kpa", "trials_kg_cm2")
MUSCLE_ID = re.compile(r"^[a-z][a-z0-9_]*$")
SPASM_FIELDS = ("episodes_per_week", "intensity")


def _primary(instrument: Instrument) -> Measure:
    if instrument.score is None:
        raise ReferenceDataError(f"instruments/{instrument.id}.yaml: score is missing")
    return instrument.score


def ppt_site_key(muscle: str, side: str) -> str:
    """The series key of a PPT site, e.g. ``"upper_trapezius/left"``."""
    return f"{muscle}/{side}"


def _ppt_site(instrument: Instrument, responses: Mapping[str, Any]) -> str:
    muscle = responses.get("muscle")
    if not isinstance(muscle, str) or not MUSCLE_ID.match(muscle):
        raise ClinicalInputError(
            "responses.muscle", f"PPT needs a muscle id such as upper_trapezius (got {muscle!r})"
        )
    sides = instrument.ppt.sides if instrument.ppt else []
    side = responses.get("side")
    if side not in sides:
        raise ClinicalInputError(
            "responses.side", f"PPT side must be one of {', '.join(sides)} (got {side!r})"
        )
    return ppt_site_key(muscle, str(side))


def _ppt_kg_cm2(instrument: Instrument, responses: Mapping[str, Any], kpa_factor: float) -> float:
    given = [name for name in PPT_VALUE_FIELDS if name in responses]
    if len(given) != 1:
        raise ClinicalInputError(
            "responses", "PPT needs exactly one of kg_cm2, kpa or trials_kg_cm2"
        )
    measure = _primary(instrument)
    bounds = measure.range
    if given[0] == "kpa":
        kpa_bounds = (bounds[0] * kpa_factor, bounds[1] * kpa_factor) if bounds else None
        kpa = check_value("responses.kpa", "PPT in kPa", responses["kpa"], kpa_bounds, "number")
        return kpa / kpa_factor
    if given[0] == "kg_cm2":
        return check_value("responses.kg_cm2", "PPT", responses["kg_cm2"], bounds, "number")
    trials = responses["trials_kg_cm2"]
    most = instrument.ppt.max_trials if instrument.ppt else 1
    if not isinstance(trials, list) or not 1 <= len(trials) <= most:
        raise ClinicalInputError(
            "responses.trials_kg_cm2", f"PPT trials must be a list of 1 to {most} numbers"
        )
    values = [
        check_value(f"responses.trials_kg_cm2[{n}]", "PPT trial", trial, bounds, "number")
        for n, trial in enumerate(trials)
    ]
    return sum(values) / len(values)


def score_ppt(instrument: Instrument, responses: Mapping[str, Any]) -> ScoreResult:
    """One muscle and side: ``{"muscle", "side", and one of kg_cm2 | kpa | trials_kg_cm2}``."""
    reject_unknown_keys("responses", responses, PPT_FIELDS, "PPT")
    if instrument.ppt is None:
        raise ReferenceDataError(f"instruments/{instrument.id}.yaml: ppt settings are missing")
    key = _ppt_site(instrument, responses)
    factor = instrument.ppt.kpa_per_kg_cm2
    kg_cm2 = rounded(_ppt_kg_cm2(instrument, responses, factor))
    additional = {
        m.id: SubScore.of(m, rounded(kg_cm2 * factor)) for m in instrument.additional_scores
    }
    return build_result(instrument, kg_cm2, items_answered=1, additional_scores=additional, key=key)


def score_rom(instrument: Instrument, responses: Mapping[str, Any]) -> ScoreResult:
    """``{"cervical_flexion": 45, "modified_schober_cm": 4.5, ...}``: one value per motion."""
    motions = {measure.id: measure for measure in instrument.subscales}
    reject_unknown_keys("responses", responses, list(motions), "ROM")
    subscales: dict[str, SubScore] = {}
    for motion, value in responses.items():
        if value is None:
            continue
        measure = motions[motion]
        label = f"ROM {motion} ({measure.unit})"
        number = check_value(f"responses.{motion}", label, value, measure.range, "number")
        subscales[motion] = SubScore.of(measure, rounded(number))
    if not subscales:
        raise ClinicalInputError(
            "responses", f"ROM needs at least one motion; allowed: {', '.join(motions)}"
        )
    return build_result(instrument, None, items_answered=len(subscales), subscales=subscales)


def score_spasm(instrument: Instrument, responses: Mapping[str, Any]) -> ScoreResult:
    """``{"episodes_per_week": 4, "intensity": 6}``; intensity may be left out when 0 episodes."""
    reject_unknown_keys("responses", responses, SPASM_FIELDS, "The spasm diary")
    measure = _primary(instrument)
    episodes = check_value(
        "responses.episodes_per_week",
        "Spasm episodes per week",
        responses.get("episodes_per_week"),
        measure.range,
        "integer",
    )
    intensity_measure = instrument.subscales[0]
    raw_intensity = responses.get("intensity")
    if raw_intensity is None and episodes == 0:
        raw_intensity = 0
    intensity = check_value(
        "responses.intensity",
        "Spasm intensity",
        raw_intensity,
        intensity_measure.range,
        "integer",
    )
    if episodes == 0 and intensity != 0:
        raise ClinicalInputError(
            "responses.intensity", "Spasm intensity must be 0 when there were no episodes"
        )
    subscales = {intensity_measure.id: SubScore.of(intensity_measure, intensity)}
    return build_result(instrument, episodes, items_answered=2, subscales=subscales)
