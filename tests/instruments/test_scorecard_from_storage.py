"""The episode's benefit scorecard from stored measures and the treatments app's records."""

from __future__ import annotations

from django.utils import timezone

from needlerx.instruments.progress import episode_scorecard
from needlerx.treatments import services as treatments
from tests.instruments.helpers import episode_weeks_ago, measure, series
from tests.treatments.helpers import UPPER_TRAPEZIUS, checked_session, consent, needle


def _ppt(muscle: str, side: str, value: float) -> dict[str, object]:
    return {"muscle": muscle, "side": side, "kg_cm2": value}


def test_measures_sessions_and_adverse_events_make_the_scorecard(world):
    alice = world.alice
    episode = episode_weeks_ago(world, world.patient())
    series(alice, episode, "nprs", [(30, {"1": 7}), (15, {"1": 5}), (2, {"1": 3})])
    series(
        alice,
        episode,
        "ndi",
        [(30, {str(n): 3 for n in range(1, 11)}), (2, {str(n): 1 for n in range(1, 11)})],
    )
    measure(alice, episode, "ppt", _ppt("upper_trapezius", "left", 2.0), days=30)
    measure(alice, episode, "ppt", _ppt("upper_trapezius", "left", 3.0), days=2)
    measure(alice, episode, "ppt", _ppt("levator_scapulae", "right", 3.0), days=30)
    measure(alice, episode, "ppt", _ppt("levator_scapulae", "right", 1.5), days=2)
    consent(alice, episode)
    for _ in range(2):
        session = checked_session(alice, episode, [UPPER_TRAPEZIUS])
        needle(alice, session)
    treatments.treatment_session_start(actor=alice, episode=episode)  # no needling: not counted
    treatments.adverse_event_record(
        actor=alice,
        session=session,
        event_type="bruising",
        severity="mild",
        onset_at=timezone.now(),
        action_taken="Pressure and reassurance.",
    )

    card = episode_scorecard(user=alice, episode_id=episode.public_id)

    assert card.session_count == 2
    assert (card.adverse_events.mild, card.adverse_events.significant) == (1, 0)
    assert card.treated_sites == ("upper_trapezius/left",)
    benefits = card.to_dict()["benefits"]
    assert benefits["pain_relief"]["status"] == "improved"
    assert (benefits["pain_relief"]["baseline"], benefits["pain_relief"]["latest"]) == (7.0, 3.0)
    assert benefits["recovery"]["status"] == "improved"  # NDI 60 % -> 20 %
    assert benefits["recovery"]["unit"] == "%"
    # only the needled site counts: the levator scapulae fall does not make it "worse"
    relaxation = benefits["muscle_relaxation"]
    assert relaxation["status"] == "improved"
    assert [c["key"] for c in relaxation["components"]] == ["upper_trapezius/left"]
    # 1 mild event in 2 sessions = 500 per 1,000, above Boyce 2020's ~367
    assert benefits["safety"]["status"] == "worse"
    assert benefits["range_of_motion"]["status"] == "not_measured"


def test_an_episode_without_sessions_is_scored_on_its_measures_alone(world):
    episode = episode_weeks_ago(world, world.patient())
    series(world.alice, episode, "nprs", [(30, {"1": 6}), (2, {"1": 6})])
    card = episode_scorecard(user=world.ada, episode_id=episode.public_id)
    assert (card.session_count, card.treated_sites) == (0, None)
    benefits = card.to_dict()["benefits"]
    assert benefits["pain_relief"]["status"] == "not_improved"
    assert benefits["safety"]["status"] == "not_measured"
