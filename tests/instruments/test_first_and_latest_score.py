"""The stored first and latest main score of each (episode, instrument) stays equal to a
recomputation from the responses, whoever writes them: a clinician (in any order of taken_at),
the pain of a session note (a corrected value corrects it), a patient from home, the demo's bulk
load and the backfill migration."""

from __future__ import annotations

import datetime as dt
import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.utils import timezone

from needlerx.demo import generator
from needlerx.instruments.models import FirstAndLatestScore, InstrumentResponse
from needlerx.instruments.score_span import score_span
from needlerx.instruments.services import first_and_latest_score_refresh, session_pain_record
from needlerx.patients.models import Episode
from tests.instruments.helpers import (
    NDI_HALF,
    episode_weeks_ago,
    first_and_latest_recomputed,
    first_and_latest_stored,
    measure,
)
from tests.patient_tasks.helpers import send_link
from tests.personas import World
from tests.treatments.helpers import checked_session

BACKFILL = importlib.import_module("needlerx.instruments.migrations.0004_first_and_latest_score")


@pytest.fixture
def episode(world: World) -> Episode:
    return episode_weeks_ago(world, world.patient(), weeks=8)


def _row(episode: Episode, instrument: str) -> FirstAndLatestScore:
    return FirstAndLatestScore.objects.get(episode=episode, instrument=instrument)


def test_an_earlier_score_recorded_later_becomes_the_first(world: World, episode: Episode):
    measure(world.alice, episode, "nprs", {"1": 6}, days=30)
    row = _row(episode, "nprs")
    assert (row.first_score, row.latest_score, row.scores) == (6, 6, 1)
    measure(world.alice, episode, "nprs", {"1": 3}, days=2)
    measure(world.alice, episode, "nprs", {"1": 8}, days=50)  # the baseline, entered late
    measure(world.alice, episode, "nprs", {"1": 5}, days=10)
    row = _row(episode, "nprs")
    assert (row.first_score, row.latest_score, row.scores) == (8, 3, 4)
    measure(world.alice, episode, "ndi", NDI_HALF, days=40)
    measure(world.alice, episode, "ppt", {"muscle": "upper_trapezius", "side": "left", "kg_cm2": 2})
    measure(world.alice, episode, "rom", {"cervical_flexion": 40})  # no main score
    assert first_and_latest_stored() == first_and_latest_recomputed()
    assert {row.instrument for row in FirstAndLatestScore.objects.all()} == {"nprs", "ndi"}


def test_two_scores_at_the_same_moment_keep_the_order_they_were_stored(
    world: World, episode: Episode
):
    moment = timezone.now() - dt.timedelta(days=3)
    for value in (7, 4):
        measure(world.alice, episode, "nprs", {"1": value}, days=3)
    InstrumentResponse.objects.update(taken_at=moment)  # no service stores two at one moment
    first_and_latest_score_refresh(episode_id=episode.pk, instrument="nprs")
    row = _row(episode, "nprs")
    assert (row.first_score, row.latest_score) == (7, 4)
    assert first_and_latest_stored() == first_and_latest_recomputed()


def test_a_corrected_session_pain_corrects_the_stored_latest(world: World):
    episode = episode_weeks_ago(world, world.patient())
    measure(world.alice, episode, "nprs", {"1": 7}, days=20)
    session = checked_session(world.alice, episode)
    session_pain_record(actor=world.alice, session=session, pain=6)
    assert (_row(episode, "nprs").latest_score, _row(episode, "nprs").scores) == (6, 2)
    session.refresh_from_db()
    session_pain_record(actor=world.alice, session=session, pain=2)
    row = _row(episode, "nprs")
    assert (row.first_score, row.latest_score, row.scores) == (7, 2, 2)
    assert first_and_latest_stored() == first_and_latest_recomputed()


def test_a_patients_answer_from_home_is_the_latest(client: Client, world: World):
    patient = world.patient(email="pat@example.com")
    episode = episode_weeks_ago(world, patient)
    measure(world.alice, episode, "nprs", {"1": 8}, days=14)
    client.force_login(world.alice)
    token = send_link(
        client, patient, kind="questionnaire", instrument="nprs", episode=str(episode.public_id)
    )
    assert Client().post(f"/my/{token}/", {"item_1": "3"}).status_code == 200
    row = _row(episode, "nprs")
    assert (row.first_score, row.latest_score, row.scores) == (8, 3, 2)
    assert first_and_latest_stored() == first_and_latest_recomputed()


def test_the_demo_load_and_the_backfill_store_what_the_responses_say(db: None):
    staff = generator.create_demo_network()
    generator.load_patients(staff, 40, seed=11)
    recomputed = first_and_latest_recomputed()
    assert len(recomputed) > 80  # NPRS and a disability index for each of the 40 episodes
    assert first_and_latest_stored() == recomputed
    FirstAndLatestScore.objects.all().delete()
    BACKFILL.fill_first_and_latest_scores(apps, SimpleNamespace(connection=connection))
    assert first_and_latest_stored() == recomputed


def test_the_span_of_scores_is_first_and_latest_by_time_then_order_given():
    assert score_span([]) is None
    span = score_span([(5.0, 2), (9.0, 1), (4.0, 3), (3.0, 3), (8.0, 1)])
    assert span is not None
    assert (span.first_score, span.first_taken_at, span.latest_score, span.scores) == (
        9.0,
        1,
        3.0,
        5,
    )
