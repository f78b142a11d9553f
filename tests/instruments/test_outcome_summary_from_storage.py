"""The episode outcome summary from stored measures and the treatments app's records."""

from __future__ import annotations

import datetime as dt
import json

from django.utils import timezone

from needlerx.instruments.progress import episode_outcome_summary, episode_treatment_counts
from needlerx.treatments import services as treatments
from tests.doors import run_cli
from tests.instruments.helpers import episode_weeks_ago, measure, series
from tests.treatments.helpers import UPPER_TRAPEZIUS, checked_session, consent, move_start, needle


def _ppt(muscle: str, side: str, value: float) -> dict[str, object]:
    return {"muscle": muscle, "side": side, "kg_cm2": value}


def test_measures_sessions_and_adverse_events_make_the_outcome_summary(world):
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

    benefits = episode_outcome_summary(user=alice, episode_id=episode.public_id).to_dict()[
        "benefits"
    ]

    pain = benefits["pain_relief"]
    assert (pain["status"], pain["primary"]["instrument"]) == ("improved", "nprs")
    assert (pain["primary"]["baseline"], pain["primary"]["latest"]) == (7.0, 3.0)
    recovery = benefits["recovery"]  # a neck episode: NDI is the primary measure
    assert (recovery["status"], recovery["primary"]["instrument"]) == ("improved", "ndi")
    # tenderness is shown, never counted as relaxation; the stiffness rating was not taken
    relaxation = benefits["muscle_relaxation"]
    assert relaxation["status"] == "not_measured" and relaxation["primary"] is None
    assert [s["key"] for s in relaxation["secondary"]] == ["upper_trapezius/left"]
    assert relaxation["secondary"][0]["status"] == "beyond_measurement_error"
    # 1 mild event in 2 needling sessions: a rate with a wide interval, never "worse"/"improved"
    safety = benefits["safety"]
    assert safety["status"] == "rate"
    mild = next(rate for rate in safety["safety"]["rates"] if rate["group"] == "mild")
    assert (mild["events"], mild["sessions"], mild["per_1000"]) == (1, 2, 500.0)
    assert mild["comparison"] == "consistent" and mild["ci_95"][0] < 367 < mild["ci_95"][1]
    assert benefits["range_of_motion"]["status"] == "not_measured"


def test_follow_up_completion_counts_needling_sessions_whose_window_has_opened(world):
    alice = world.alice
    episode = episode_weeks_ago(world, world.patient())
    consent(alice, episode)
    sessions = []
    for _ in range(3):
        session = checked_session(alice, episode, [UPPER_TRAPEZIUS])
        needle(alice, session)
        sessions.append(session)
    two_days_ago = timezone.now() - dt.timedelta(days=2)
    for session in sessions[:2]:
        move_start(session, two_days_ago)
    treatments.follow_up_record(actor=alice, session=sessions[0], method="phone", outcome="well")
    treatments.follow_up_record(  # an unanswered call is not a contact made
        actor=alice, session=sessions[1], method="phone", outcome="unreachable"
    )
    counts = episode_treatment_counts(episode=episode)
    assert (counts.sessions, counts.follow_ups_due, counts.follow_ups_made) == (3, 2, 1)
    safety = episode_outcome_summary(user=alice, episode_id=episode.public_id).summary.get("safety")
    assert safety.safety is not None and safety.safety.follow_ups_made == 1
    assert any("1 of 2 follow-up contacts were not made" in note for note in safety.notes)


def test_an_episode_without_sessions_is_summarised_on_its_measures_alone(world):
    episode = episode_weeks_ago(world, world.patient())
    series(world.alice, episode, "nprs", [(30, {"1": 6}), (2, {"1": 6})])
    summary = episode_outcome_summary(user=world.ada, episode_id=episode.public_id).summary
    assert summary.get("pain_relief").status == "not_improved"
    assert summary.get("safety").status == "not_measured"


def test_the_cli_prints_the_apis_outcome_summary(client, world, monkeypatch, capsys):
    episode = episode_weeks_ago(world, world.patient())
    series(world.alice, episode, "nprs", [(30, {"1": 7}), (2, {"1": 3})])
    args = ("measure", "summary", "--user", "alice", "--episode", str(episode.public_id))
    status, out, _ = run_cli(monkeypatch, capsys, *args)
    assert status == 0
    printed = json.loads(out)
    client.force_login(world.alice)
    answered = client.get(f"/api/v1/episodes/{episode.public_id}/outcome-summary").json()
    assert printed == answered
    assert printed["benefits"]["pain_relief"]["status"] == "improved"
    status, _, err = run_cli(monkeypatch, capsys, *args[:3], "bob", *args[4:])
    assert status == 2 and "No such episode" in err  # another clinic's episode
