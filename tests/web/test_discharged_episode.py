"""A discharged episode on the patient's chart: the day it was discharged, and its progress,
plan of care and measures still one click away (what a clinician reviews after discharge);
nothing that starts new care on it."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.utils import timezone

from needlerx.patients.models import Episode, EpisodeStatus
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
