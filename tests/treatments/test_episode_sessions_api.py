"""An episode's sessions through the API: paged, newest first, with their true count (the list
stopped silently at 100)."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.utils import timezone

from needlerx.treatments import services
from tests.personas import World


def test_an_episode_s_sessions_are_paged_with_their_true_count(client: Client, world: World):
    episode = world.episode(world.patient())
    now = timezone.now()  # a session starts between the episode's first day and now
    started = [
        services.treatment_session_start(
            actor=world.alice, episode=episode, started_at=now - dt.timedelta(milliseconds=step)
        )
        for step in (50, 40, 30, 20, 10)
    ]
    client.force_login(world.alice)
    url = f"/api/v1/episodes/{episode.public_id}/sessions"
    pages = [client.get(url, {"page": n, "page_size": 2}).json() for n in (1, 2, 3, 4)]
    assert [page["count"] for page in pages] == [5, 5, 5, 5]
    listed = [item["id"] for page in pages for item in page["results"]]
    assert listed == [str(s.public_id) for s in reversed(started)]  # newest first, each once
    assert pages[3]["results"] == []  # past the last page: empty, the count still true
    assert client.get(url).json()["count"] == 5
    client.force_login(world.bob)
    assert client.get(url).status_code == 404
