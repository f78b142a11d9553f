"""A discharged episode on the patient's chart: the day it was discharged, and its progress,
plan of care and measures still one click away (what a clinician reviews after discharge);
nothing that starts new care on it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from needlerx.core.errors import ApplicationError
from needlerx.patients.models import Episode, EpisodeStatus
from needlerx.treatments import services
from needlerx.web.templatetags.web_tags import local_date
from tests.personas import World


def test_a_discharged_episode_links_to_its_progress_plan_and_measures(client: Client, world: World):
    patient = world.patient()
    episode = world.episode(patient)
    day = timezone.localdate() - dt.timedelta(days=3)
    Episode.objects.filter(pk=episode.pk).update(status=EpisodeStatus.DISCHARGED, discharged_on=day)
    client.force_login(world.alice)
    page = client.get(f"/patients/{patient.public_id}/").content.decode()
    base = f"/patients/{patient.public_id}/episodes/{episode.public_id}/"
    for place in ("progress/", "plan/", "measures/"):
        assert f'href="{base}{place}"' in page
        assert client.get(base + place).status_code == 200
    assert f"discharged {local_date(day)} ·" in page  # as the clinic writes dates
    assert "New session note" not in page and f'href="{base}screen/"' not in page


def test_a_discharged_episodes_plan_is_kept_as_it_was(client: Client, world: World):
    patient = world.patient()
    episode = world.episode(patient)
    plan = services.care_plan_create(
        actor=world.alice,
        episode=episode,
        frequency_per_week=2,
        duration_weeks=6,
        re_evaluation_on=timezone.localdate() + dt.timedelta(weeks=4),
        interventions=["dry_needling"],
    )
    Episode.objects.filter(pk=episode.pk).update(
        status=EpisodeStatus.DISCHARGED, discharged_on=timezone.localdate()
    )
    client.force_login(world.alice)
    page = client.get(f"/patients/{patient.public_id}/episodes/{episode.public_id}/plan/")
    text = page.content.decode()
    assert "its plan of care is kept as it was" in text
    for form in ("Change the plan", "Add a goal", "Add an exercise"):
        assert form not in text
    with pytest.raises(ApplicationError, match="discharged"):
        services.care_plan_update(
            actor=world.alice, plan=plan, expected_version=plan.version, duration_weeks=8
        )
    with pytest.raises(ApplicationError, match="discharged"):
        services.home_exercise_add(actor=world.alice, plan=plan, exercise_id="chin_tuck_supine")
