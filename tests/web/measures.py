"""Stored scores for tests, scored by the clinical core exactly as the app stores them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from needlerx.accounts.models import User
from needlerx.clinical.scoring import score
from needlerx.instruments.models import InstrumentResponse
from needlerx.instruments.services import first_and_latest_score_refresh
from needlerx.patients.models import Episode


def record_measure(
    *, actor: User, episode: Episode, instrument: str, responses: dict[str, Any], days_ago: int
) -> InstrumentResponse:
    result = score(instrument, responses)
    stored = InstrumentResponse.objects.create(
        episode=episode,
        patient=episode.patient,
        clinic=episode.patient.clinic,
        instrument=instrument,
        instrument_version=result.instrument_version,
        responses=responses,
        result=result.to_dict(),
        score=result.score,
        unit=result.unit or "",
        series_key=result.key or "",
        taken_at=timezone.now() - dt.timedelta(days=days_ago),
        entered_by=actor,
    )
    # Written directly, not through the service: the stored first and latest score is
    # refreshed as the service does.
    first_and_latest_score_refresh(episode_id=episode.pk, instrument=instrument)
    return stored


def record_course(actor: User, episode: Episode) -> None:
    """Six weeks of a responder: pain 7 -> 2, NDI 80% -> 20%, ROM, PPT and analgesic days."""
    course = (
        (42, 7, 4, 45, 5, 2.0),
        (28, 5, 3, 55, 4, 2.6),
        (14, 4, 2, 62, 2, 3.1),
        (1, 2, 1, 70, 1, 3.6),
    )
    for days_ago, pain, ndi_item, rotation, analgesic_days, ppt in course:
        measures: dict[str, dict[str, Any]] = {
            "nprs": {"1": pain},
            "ndi": {str(i): ndi_item for i in range(1, 11)},
            "rom": {"cervical_rotation_left": rotation},
            "medication": {"analgesic_days_per_week": analgesic_days, "opioids": []},
            "ppt": {"muscle": "upper_trapezius", "side": "left", "kg_cm2": ppt},
        }
        for instrument, responses in measures.items():
            record_measure(
                actor=actor,
                episode=episode,
                instrument=instrument,
                responses=responses,
                days_ago=days_ago,
            )
