"""Reads of stored outcome measures. Each takes the requesting user and goes through the
patient's access check (``measure.view``): another clinic's record is "not found", front desk is
refused. Change reports and the outcome summary are in ``instruments.progress``."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from needlerx.accounts.models import User
from needlerx.accounts.selectors import require_permission
from needlerx.clinical.scoring.change import Observation
from needlerx.core.errors import NotFound
from needlerx.core.prepared import ValuesRead, prepared_read
from needlerx.instruments.models import InstrumentResponse
from needlerx.instruments.patient_named import baseline_names
from needlerx.patients.models import Episode
from needlerx.patients.selectors import (
    episode_get_for_user,
    patient_access_check,
    patient_get_for_user,
    record_shown,
)

VIEW = "measure.view"


def measure_episode_get(
    *, user: User, episode_id: uuid.UUID | str, patient_id: uuid.UUID | str | None = None
) -> Episode:
    """The episode (of ``patient_id`` when given), if the user may read its measures
    (NotFound / PermissionDenied otherwise)."""
    return episode_get_for_user(
        user=user, public_id=episode_id, patient_id=patient_id, permission=VIEW
    )


def instrument_responses_for_episode(
    *, user: User, episode_id: uuid.UUID | str, instrument: str | None = None
) -> QuerySet[InstrumentResponse]:
    """The episode's stored measures, oldest first, optionally of one instrument."""
    episode = measure_episode_get(user=user, episode_id=episode_id)
    return instrument_responses_of(user=user, episode=episode, instrument=instrument)


def instrument_responses_of(
    *, user: User, episode: Episode, instrument: str | None = None
) -> QuerySet[InstrumentResponse]:
    """``instrument_responses_for_episode`` of an episode a selector has already given ``user``
    (a page that read the episode once); the permission to read measures is checked here too,
    from the roles the request already holds."""
    require_permission(user=user, clinic=episode.patient.clinic, permission=VIEW)
    record_shown(user=user, patient=episode.patient, obj=episode, what="measurements")
    responses = InstrumentResponse.objects.filter(episode=episode)
    if instrument:
        responses = responses.filter(instrument=instrument)
    return responses.select_related("entered_by", "episode").order_by("taken_at", "id")


def instrument_responses_for_patient(
    *, user: User, patient_id: uuid.UUID | str, instrument: str | None = None
) -> QuerySet[InstrumentResponse]:
    """Every stored measure of the patient across episodes, oldest first."""
    patient = patient_get_for_user(user=user, public_id=patient_id, permission=VIEW)
    record_shown(user=user, patient=patient, obj=patient, what="measurements")
    responses = InstrumentResponse.objects.filter(patient=patient)
    if instrument:
        responses = responses.filter(instrument=instrument)
    return responses.select_related("entered_by", "episode").order_by("taken_at", "id")


def instrument_response_get_for_user(
    *, user: User, public_id: uuid.UUID | str
) -> InstrumentResponse:
    try:
        stored = InstrumentResponse.objects.select_related(
            "patient__clinic", "episode", "entered_by"
        ).get(public_id=public_id)
    except (InstrumentResponse.DoesNotExist, ValueError, TypeError, ValidationError):
        raise NotFound("No such measurement.") from None
    try:
        patient_access_check(user=user, patient=stored.patient, permission=VIEW)
    except NotFound:
        raise NotFound("No such measurement.") from None
    record_shown(user=user, patient=stored.patient, obj=stored)
    return stored


def observations_from_stored(stored: dict[str, Any]) -> list[Observation]:
    """The time-series values of one stored measure (its ``values()`` row, with its result's
    ``subscales``): its primary score and each subscale.

    Mirrors ``clinical.scoring.change.observations_from_result`` over the stored columns and the
    result's subscales.
    """
    found: list[Observation] = []
    instrument, at, version = stored["instrument"], stored["taken_at"], stored["instrument_version"]
    if stored["score"] is not None:
        key = stored["series_key"] or None
        found.append(Observation(instrument, at, stored["score"], stored["unit"], key, version))
    for name, sub in (stored["result__subscales"] or {}).items():
        found.append(Observation(instrument, at, sub["score"], sub["unit"], name, version))
    return found


def episode_observations(*, episode: Episode) -> list[Observation]:
    """Every series value in the episode, oldest first (the caller has checked access)."""
    stored = _episode_responses.all(episode_id=episode.pk)
    return [obs for response in stored for obs in observations_from_stored(response)]


# Prepared once (core.prepared): the progress page reads it on every visit. Of each stored
# result only its subscales are read (the database takes them out of the JSON): the whole result
# is most of a measure's row, and decoding it cost the page more than the read.
@prepared_read()
def _episode_responses(episode_id: int) -> ValuesRead:
    rows = InstrumentResponse.objects.filter(episode_id=episode_id).order_by("taken_at", "id")
    return rows.values(
        "instrument",
        "instrument_version",
        "score",
        "unit",
        "series_key",
        "taken_at",
        "result__subscales",
    )


def patient_named_baseline(
    *, user: User, episode_id: uuid.UUID | str, instrument: str
) -> dict[str, str] | None:
    """The activity names the patient gave at the episode's baseline (PSFS), or ``None``."""
    episode = measure_episode_get(user=user, episode_id=episode_id)
    record_shown(user=user, patient=episode.patient, obj=episode, what="measurements")
    return baseline_names(episode=episode, instrument_id=instrument)


def ppt_muscles_measured(*, user: User, episode_id: uuid.UUID | str) -> set[str]:
    """The muscles whose pressure-pain threshold the episode already follows (so a picker keeps
    a grouped entry such as the lumbar erector spinae when its series has a baseline)."""
    sites = instrument_responses_for_episode(
        user=user, episode_id=episode_id, instrument="ppt"
    ).values_list("series_key", flat=True)
    return {site.split("/", 1)[0] for site in sites if site}
