"""Instrument endpoints: the library, stateless scoring, stored measures, progress, outcome summary.

Reads of stored measures are audited as views of the episode's patient.
"""

from __future__ import annotations

import uuid

from django.http import HttpRequest
from ninja import Router, Status

from needlerx.accounts.http import request_user
from needlerx.clinical.scoring import INSTRUMENT_IDS, instrument_library, score_request
from needlerx.clinical.scoring.library import Instrument
from needlerx.clinical.scoring.result import current_band_id, result_with_current_bands
from needlerx.core.errors import NotFound, clinical_errors_as_application_errors
from needlerx.core.responses import BAD_REQUEST, NOT_FOUND, errors
from needlerx.instruments import progress, selectors, services
from needlerx.instruments.models import InstrumentResponse
from needlerx.instruments.responses import (
    InstrumentOut,
    MeasurementOut,
    OutcomeSummaryOut,
    ProgressSeriesOut,
    ScoreResultOut,
)
from needlerx.instruments.schemas import MeasurementIn, ScoreIn
from needlerx.patients.selectors import episode_get_for_user

router = Router(tags=["instruments"])


def measurement_out(stored: InstrumentResponse) -> MeasurementOut:
    return MeasurementOut.model_validate(
        {
            "id": stored.public_id,
            "episode_id": stored.episode.public_id,
            "instrument": stored.instrument,
            "instrument_version": stored.instrument_version,
            "score": stored.score,
            "unit": stored.unit or None,
            "series_key": stored.series_key or None,
            "category": current_band_id(stored.instrument, stored.category) or None,
            "taken_at": stored.taken_at,
            "entered_via": stored.entered_via,
            "entered_by": stored.entered_by.get_username() if stored.entered_by else None,
            "responses": stored.responses,
            "result": result_with_current_bands(stored.result),
        }
    )


@router.get("/instruments", response={200: list[InstrumentOut], **errors()})
def instrument_list(request: HttpRequest) -> list[Instrument]:
    """Every instrument: items, ranges, direction, MCIDs/MDCs with sources (no licensed text)."""
    return list(instrument_library())


@router.post(
    "/instruments/{instrument_id}/score",
    response={200: ScoreResultOut, **errors(BAD_REQUEST, NOT_FOUND)},
)
def instrument_score(request: HttpRequest, instrument_id: str, payload: ScoreIn) -> ScoreResultOut:
    """Score answers without storing them (the same JSON in and out as ``needlerx score``)."""
    if instrument_id not in INSTRUMENT_IDS:
        raise NotFound(f"No instrument {instrument_id!r}; ids: {', '.join(INSTRUMENT_IDS)}.")
    with clinical_errors_as_application_errors():
        result = score_request(instrument_id, payload.model_dump())
    return ScoreResultOut.model_validate(result.to_dict())


@router.post(
    "/episodes/{episode_id}/measurements",
    response={201: MeasurementOut, **errors(BAD_REQUEST, NOT_FOUND)},
)
def measurement_record(
    request: HttpRequest, episode_id: uuid.UUID, payload: MeasurementIn
) -> Status[MeasurementOut]:
    user = request_user(request)
    episode = episode_get_for_user(user=user, public_id=episode_id, permission="measure.record")
    stored = services.instrument_response_record(
        actor=user,
        episode=episode,
        instrument_id=payload.instrument,
        responses=payload.responses,
        taken_at=payload.taken_at,
    )
    return Status(201, measurement_out(stored))


@router.get(
    "/episodes/{episode_id}/measurements",
    response={200: list[MeasurementOut], **errors(BAD_REQUEST, NOT_FOUND)},
)
def measurement_list(
    request: HttpRequest, episode_id: uuid.UUID, instrument: str | None = None
) -> list[MeasurementOut]:
    user = request_user(request)
    stored = selectors.instrument_responses_for_episode(
        user=user, episode_id=episode_id, instrument=instrument
    )
    return [measurement_out(row) for row in stored]


@router.get(
    "/episodes/{episode_id}/progress",
    response={200: list[ProgressSeriesOut], **errors(BAD_REQUEST, NOT_FOUND)},
)
def episode_progress(
    request: HttpRequest,
    episode_id: uuid.UUID,
    instrument: str | None = None,
    key: str | None = None,
) -> list[ProgressSeriesOut]:
    """Per series: every value, baseline vs each time point and the latest, MCID/MDC status."""
    user = request_user(request)
    series = progress.episode_progress(
        user=user, episode_id=episode_id, instrument=instrument, key=key
    )
    return [ProgressSeriesOut.model_validate(one.to_dict()) for one in series]


@router.get(
    "/episodes/{episode_id}/outcome-summary",
    response={200: OutcomeSummaryOut, **errors(BAD_REQUEST, NOT_FOUND)},
)
def episode_outcome_summary(request: HttpRequest, episode_id: uuid.UUID) -> OutcomeSummaryOut:
    """The seven benefits for the episode: one primary measure decides each status; secondary
    series are shown and not counted; safety is a rate with its 95 % confidence interval."""
    found = progress.episode_outcome_summary(user=request_user(request), episode_id=episode_id)
    return OutcomeSummaryOut.model_validate(found.to_dict())
