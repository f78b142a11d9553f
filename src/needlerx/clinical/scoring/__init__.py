"""Outcome-measure scoring: pure functions over the instrument library in ``data/instruments``.

Public API (stable): :func:`score`, :func:`score_request`, :func:`instrument_library`,
:func:`load_item_texts`; change analysis in :mod:`needlerx.clinical.scoring.change`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from needlerx.clinical.errors import ClinicalInputError
from needlerx.clinical.scoring import disability, medication, physical, psychosocial, single_item
from needlerx.clinical.scoring.inputs import reject_unknown_keys, require_mapping
from needlerx.clinical.scoring.item_texts import ItemTexts, load_item_texts
from needlerx.clinical.scoring.library import (
    INSTRUMENT_IDS,
    Instrument,
    ScoringMethod,
    Threshold,
    get_instrument,
    instruments,
)
from needlerx.clinical.scoring.result import ScoreResult, SubScore

__all__ = [
    "INSTRUMENT_IDS",
    "Instrument",
    "ItemTexts",
    "ScoreResult",
    "SubScore",
    "Threshold",
    "instrument_library",
    "load_item_texts",
    "score",
    "score_request",
]

Scorer = Callable[[Instrument, Mapping[str, Any]], ScoreResult]

SCORERS: dict[ScoringMethod, Scorer] = {
    "single_item": single_item.score_single_item,
    "percent_of_answered": disability.score_percent_of_answered,
    "sum": disability.score_sum,
    "mean": disability.score_mean,
    "startback": psychosocial.score_startback,
    "subscales_only": psychosocial.score_subscales_only,
    "ppt": physical.score_ppt,
    "rom": physical.score_rom,
    "spasm": physical.score_spasm,
    "medication": medication.score_medication,
}

REQUEST_FIELDS = ("responses",)


def score(instrument_id: str, responses: Mapping[str, Any]) -> ScoreResult:
    """Score one administration of an instrument (see docs/instruments.md for each convention).

    Raises :class:`ClinicalInputError` naming the field for an unknown instrument, an unknown
    item, a value of the wrong type or out of range, or too many missing items.
    """
    instrument = get_instrument(instrument_id)
    mapping = require_mapping("responses", responses, "responses")
    return SCORERS[instrument.scoring.method](instrument, mapping)


def score_request(instrument_id: str, payload: object) -> ScoreResult:
    """Validate a whole request body ``{"responses": {...}}`` (API and CLI share this)."""
    body = require_mapping("body", payload, "The request body")
    reject_unknown_keys("body", body, REQUEST_FIELDS, "The request body")
    if "responses" not in body:
        raise ClinicalInputError("responses", "the request body needs a responses object")
    return score(instrument_id, body["responses"])


def instrument_library() -> list[Instrument]:
    """Every instrument definition, in the public order; ``.to_dict()`` for the API.

    No licensed text is included: item text appears only where the licence allows it.
    """
    return list(instruments().values())
