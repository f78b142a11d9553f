"""Disability questionnaires: NDI and ODI (percent of answered), RMDQ (sum), PSFS (mean)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from needlerx.clinical.scoring.inputs import read_items, scored_values
from needlerx.clinical.scoring.library import Instrument
from needlerx.clinical.scoring.patient_specific import (
    activity_details,
    check_names_match_ratings,
    split_names,
)
from needlerx.clinical.scoring.result import ScoreResult, SubScore, build_result, rounded


def _missing_note(instrument: Instrument, answered: Mapping[str, float]) -> tuple[str, ...]:
    missing = [item.key for item in instrument.items if item.scored and item.key not in answered]
    if not missing:
        return ()
    return (
        f"{len(missing)} item(s) not answered ({', '.join(missing)}); "
        f"scored over the {len(answered)} answered",
    )


def score_percent_of_answered(instrument: Instrument, responses: Mapping[str, Any]) -> ScoreResult:
    """NDI and ODI: sum / (item maximum x items answered) x 100.

    For the NDI this equals the author's rule for one missing section (the average of the other
    sections is added) and the raw score (0-50) is the percent / 2, reported in
    ``additional_scores["raw"]``.
    """
    answered = scored_values(instrument, read_items(instrument, responses))
    item_max = max(item.max for item in instrument.items if item.scored)
    percent = sum(answered.values()) / (item_max * len(answered)) * 100
    scored_items = sum(1 for item in instrument.items if item.scored)
    raw = percent / 100 * item_max * scored_items
    additional = {m.id: SubScore.of(m, rounded(raw)) for m in instrument.additional_scores}
    return build_result(
        instrument,
        percent,
        items_answered=len(answered),
        additional_scores=additional,
        notes=_missing_note(instrument, answered),
    )


def score_sum(instrument: Instrument, responses: Mapping[str, Any]) -> ScoreResult:
    """RMDQ and PCS: the sum of the items; subscales are sums of their own items."""
    answered = scored_values(instrument, read_items(instrument, responses))
    subscales = {
        measure.id: SubScore.of(measure, sum(answered[key] for key in measure.items))
        for measure in instrument.subscales
    }
    return build_result(
        instrument, sum(answered.values()), items_answered=len(answered), subscales=subscales
    )


def score_mean(instrument: Instrument, responses: Mapping[str, Any]) -> ScoreResult:
    """PSFS: the mean of the activities rated (0-10, higher is better).

    The activity names (``responses["activities"]``), when given, come back in ``details``
    with each rating, in item order.
    """
    ratings, names = split_names(instrument, responses)
    answered = scored_values(instrument, read_items(instrument, ratings))
    details: tuple[dict[str, Any], ...] = ()
    if names is not None:
        check_names_match_ratings(instrument, names, answered)
        details = activity_details(names, answered)
    notes: tuple[str, ...] = ()
    if len(answered) < 3:
        notes = (f"only {len(answered)} activity rated; the PSFS usually has 3 to 5",)
    mean = sum(answered.values()) / len(answered)
    return build_result(
        instrument,
        mean,
        items_answered=len(answered),
        notes=notes,
        details=details,
    )
