"""A page that has read an episode passes it on to the selectors of its plans and measures
(``care_plans_of``, ``instrument_responses_of``); they still check the reader's permission in
the episode's clinic, so an episode object alone never opens a record."""

from __future__ import annotations

import pytest

from needlerx.core.errors import PermissionDenied
from needlerx.instruments.selectors import instrument_responses_of
from needlerx.treatments.selectors import care_plans_of
from tests.personas import World


@pytest.mark.parametrize("read", [care_plans_of, instrument_responses_of])
def test_front_desk_and_another_clinic_are_refused_the_episode_in_hand(world: World, read) -> None:
    episode = world.episode(world.patient())
    for outsider in (world.frank, world.bob):  # front desk of its clinic; another clinic
        with pytest.raises(PermissionDenied):
            read(user=outsider, episode=episode)
    assert list(read(user=world.alice, episode=episode)) == []
