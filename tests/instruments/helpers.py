"""Builders for instrument tests: an episode opened weeks ago and measures taken on given days."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from needlerx.accounts.models import User
from needlerx.instruments.models import FirstAndLatestScore, InstrumentResponse
from needlerx.instruments.services import instrument_response_record
from needlerx.patients import services as patients
from needlerx.patients.models import Episode, Patient
from tests.personas import World

NDI_HALF = {str(n): 2 for n in range(1, 11)}  # 20 of 50 raw = 40 %


def episode_weeks_ago(world: World, patient: Patient, weeks: int = 6) -> Episode:
    actor = world.alice if patient.clinic == world.clinic_a else world.bob
    today = timezone.localdate()
    return patients.episode_open(
        actor=actor,
        patient=patient,
        regions=["cervical"],
        diagnosis_codes=["M54.2"],
        onset_date=today - dt.timedelta(weeks=weeks + 2),
        opened_on=today - dt.timedelta(weeks=weeks),
    )


def days_ago(days: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


def measure(
    actor: User, episode: Episode, instrument: str, responses: dict[str, Any], days: int = 0
) -> InstrumentResponse:
    return instrument_response_record(
        actor=actor,
        episode=episode,
        instrument_id=instrument,
        responses=responses,
        taken_at=days_ago(days),
    )


def series(
    actor: User, episode: Episode, instrument: str, values: list[tuple[int, dict[str, Any]]]
) -> None:
    """Measures on (days ago, responses) pairs."""
    for days, responses in values:
        measure(actor, episode, instrument, responses, days)


def first_and_latest_recomputed() -> dict[tuple[int, str], tuple[float, Any, float, Any, int]]:
    """Every (episode, instrument)'s first and latest main score and count, recomputed from the
    responses by sorting them (taken_at, then id), as the dashboard once read them."""
    by_pair: dict[tuple[int, str], list[InstrumentResponse]] = {}
    for response in InstrumentResponse.objects.filter(series_key="", score__isnull=False):
        by_pair.setdefault((response.episode_id, response.instrument), []).append(response)
    found = {}
    for pair, responses in by_pair.items():
        ordered = sorted(responses, key=lambda r: (r.taken_at, r.pk))
        first, latest = ordered[0], ordered[-1]
        assert first.score is not None and latest.score is not None
        found[pair] = (first.score, first.taken_at, latest.score, latest.taken_at, len(ordered))
    return found


def first_and_latest_stored() -> dict[tuple[int, str], tuple[float, Any, float, Any, int]]:
    """The stored rows (``FirstAndLatestScore``) in the same shape."""
    return {
        (row.episode_id, row.instrument): (
            row.first_score,
            row.first_taken_at,
            row.latest_score,
            row.latest_taken_at,
            row.scores,
        )
        for row in FirstAndLatestScore.objects.all()
    }
