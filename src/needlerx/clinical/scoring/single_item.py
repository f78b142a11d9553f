"""Single-item scales: NPRS (0-10), VAS (0-100 mm) and GROC (-7..+7)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from needlerx.clinical.scoring.inputs import read_items
from needlerx.clinical.scoring.library import Instrument
from needlerx.clinical.scoring.result import ScoreResult, build_result


def score_single_item(instrument: Instrument, responses: Mapping[str, Any]) -> ScoreResult:
    """The chosen value is the score: ``{"1": 7}`` on the NPRS scores 7 points."""
    values = read_items(instrument, responses)
    return build_result(instrument, values["1"], items_answered=1)
