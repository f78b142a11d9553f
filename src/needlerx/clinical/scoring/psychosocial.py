"""Psychosocial questionnaires: STarT Back (risk groups) and FABQ (two subscales).

The PCS is a plain sum with subscales and is scored by :func:`disability.score_sum`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any, Literal

from needlerx.clinical.errors import ReferenceDataError
from needlerx.clinical.scoring.inputs import read_items, scored_values
from needlerx.clinical.scoring.library import Instrument
from needlerx.clinical.scoring.result import ScoreResult, SubScore, build_result


def score_startback(instrument: Instrument, responses: Mapping[str, Any]) -> ScoreResult:
    """Total of positive items (0-9) and psychosocial subscale (items 5-9, 0-5) -> risk group.

    An item is positive when its value reaches the item's ``positive_from`` (items 1-8: agree = 1;
    item 9: the two most bothersome levels, 3 and 4).
    """
    rule = instrument.startback_risk
    if rule is None:
        raise ReferenceDataError(f"instruments/{instrument.id}.yaml: startback_risk is missing")
    answered = scored_values(instrument, read_items(instrument, responses))
    positive = {
        item.key: 1.0 if answered[item.key] >= (item.positive_from or 1) else 0.0
        for item in instrument.items
    }
    subscales = {
        m.id: SubScore.of(m, sum(positive[key] for key in m.items)) for m in instrument.subscales
    }
    total = sum(positive.values())
    distress = subscales["psychosocial"].score
    risk: Literal["low", "medium", "high"]
    if total <= rule.low_total_upper:
        risk = "low"
    elif distress < rule.high_subscale_lower:
        risk = "medium"
    else:
        risk = "high"
    result = build_result(instrument, total, items_answered=len(answered), subscales=subscales)
    return dataclasses.replace(result, category=risk, category_label=rule.labels[risk])


def score_subscales_only(instrument: Instrument, responses: Mapping[str, Any]) -> ScoreResult:
    """FABQ: physical activity (items 2-5) and work (6, 7, 9-12, 15) subscales; no total."""
    values = read_items(instrument, responses)
    answered = scored_values(instrument, values)
    subscales = {
        m.id: SubScore.of(m, sum(answered[key] for key in m.items)) for m in instrument.subscales
    }
    return build_result(instrument, None, items_answered=len(answered), subscales=subscales)
