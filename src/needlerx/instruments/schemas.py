"""API shapes for outcome measures. The core's result JSON (docs/instruments.md) passes through.

``MeasurementIn`` is also the JSON ``needlerx measure record`` reads (``core.inputs``), so both
doors refuse a bad field alike; the answers themselves are checked by the clinical core's scorer.
"""

from __future__ import annotations

from typing import Annotated, Any

from ninja import Schema
from pydantic import ConfigDict

from needlerx.clinical.scoring import INSTRUMENT_IDS
from needlerx.core.inputs import AwareDateTime, OneOf


class ScoreIn(Schema):
    """``POST /api/v1/instruments/{id}/score``: the same JSON ``needlerx score`` reads."""

    model_config = ConfigDict(extra="forbid")

    responses: dict[str, Any]


class MeasurementIn(Schema):
    """Store one administration for the episode; ``taken_at`` defaults to now (with a zone)."""

    model_config = ConfigDict(extra="forbid")

    instrument: Annotated[str, OneOf(lambda: INSTRUMENT_IDS, "instrument")]
    responses: dict[str, Any]
    taken_at: AwareDateTime | None = None
