"""Instrument endpoints: the library, stateless scoring, stored measures per episode."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from needlerx.clinical.scoring import instrument_library

router = Router(tags=["instruments"])


@router.get("/instruments", response=list[dict[str, Any]])
def instrument_list(request: HttpRequest) -> list[dict[str, Any]]:
    """Every instrument: items, ranges, direction, MCIDs/MDCs with sources (no licensed text)."""
    return [instrument.to_dict() for instrument in instrument_library()]
