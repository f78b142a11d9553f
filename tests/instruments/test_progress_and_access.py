"""Reads of stored measures: isolation by clinic and role, change reports per series."""

from __future__ import annotations

import pytest

from needlerx.clinical.scoring.change import compare
from needlerx.core.errors import NotFound, PermissionDenied
from needlerx.instruments import progress, selectors
from tests.instruments.helpers import episode_weeks_ago, measure, series


@pytest.fixture
def episode(world):
    episode = episode_weeks_ago(world, world.patient())
    series(world.alice, episode, "nprs", [(30, {"1": 7}), (20, {"1": 6}), (10, {"1": 5})])
    measure(
        world.alice,
        episode,
        "ppt",
        {"muscle": "upper_trapezius", "side": "left", "kg_cm2": 2.0},
        days=30,
    )
    measure(
        world.alice,
        episode,
        "ppt",
        {"muscle": "upper_trapezius", "side": "left", "kg_cm2": 2.9},
        days=10,
    )
    series(
        world.alice,
        episode,
        "rom",
        [(30, {"cervical_flexion": 30}), (10, {"cervical_flexion": 45})],
    )
    return episode


def test_the_clinic_reads_its_measures_oldest_first(world, episode):
    for persona in (world.alice, world.ada, world.nora):
        rows = selectors.instrument_responses_for_episode(
            user=persona, episode_id=episode.public_id, instrument="nprs"
        )
        assert [row.score for row in rows] == [7.0, 6.0, 5.0]
    by_patient = selectors.instrument_responses_for_patient(
        user=world.alice, patient_id=episode.patient.public_id
    )
    assert by_patient.count() == 7


@pytest.mark.parametrize(
    "read",
    [
        lambda user, e: list(selectors.instrument_responses_for_episode(user=user, episode_id=e)),
        lambda user, e: progress.episode_progress(user=user, episode_id=e),
        lambda user, e: progress.episode_outcome_summary(user=user, episode_id=e),
    ],
    ids=["instrument_responses_for_episode", "episode_progress", "episode_outcome_summary"],
)
def test_another_clinic_finds_nothing_and_front_desk_is_refused(world, episode, read):
    with pytest.raises(NotFound):
        read(world.bob, episode.public_id)
    with pytest.raises(PermissionDenied):
        read(world.frank, episode.public_id)


def test_one_measure_is_not_found_across_clinics(world, episode):
    stored = selectors.instrument_responses_for_episode(
        user=world.alice, episode_id=episode.public_id
    ).first()
    assert stored is not None
    found = selectors.instrument_response_get_for_user(user=world.alice, public_id=stored.public_id)
    assert found == stored
    with pytest.raises(NotFound):
        selectors.instrument_response_get_for_user(user=world.bob, public_id=stored.public_id)
    with pytest.raises(NotFound):
        selectors.instrument_responses_for_patient(
            user=world.bob, patient_id=episode.patient.public_id
        )


def test_nprs_baseline_against_each_time_point_with_the_default_mcid(world, episode):
    (nprs,) = progress.episode_progress(
        user=world.alice, episode_id=episode.public_id, instrument="nprs"
    )
    assert [point.score for point in nprs.points] == [7.0, 6.0, 5.0]
    assert nprs.report.baseline is not None and nprs.report.baseline.score == 7.0
    # 7 -> 6 is within the MDC of 2 (Childs 2005); 7 -> 5 reaches 2 points but only 29 % of
    # the baseline, and the default responder needs both 2 points and 30 % (Ostelo 2008)
    assert [p.status for p in nprs.report.time_points] == [
        "within_measurement_error",
        "not_responder",
    ]
    assert nprs.report.mcid is not None and nprs.report.mcid.value == 2
    body = nprs.to_dict()
    assert body["unit"] == "points" and body["latest"]["status"] == "not_responder"
    assert body["latest"]["absolute_threshold_met"] is True
    assert body["latest"]["percent_threshold_met"] is False
    assert body["responder_rule"]["id"] == "ostelo_2008_points_and_percent"
    assert body["mcid"]["source"]["citation"]


def test_a_chosen_mcid_changes_the_verdict(world, episode):
    (nprs,) = progress.episode_progress(
        user=world.alice,
        episode_id=episode.public_id,
        instrument="nprs",
        thresholds={"nprs": "cleland_2008"},
    )
    assert nprs.report.mcid is not None and nprs.report.mcid.value == 1.3


def test_ppt_sites_and_rom_motions_are_their_own_series(world, episode):
    found = progress.episode_progress(user=world.alice, episode_id=episode.public_id)
    keys = [(one.instrument, one.key) for one in found]
    assert keys == [("nprs", None), ("ppt", "upper_trapezius/left"), ("rom", "cervical_flexion")]
    ppt = found[1]
    assert ppt.label == "PPT Upper trapezius (left)"
    assert ppt.report.unit == "kg/cm2" and ppt.report.direction == "higher_is_better"
    assert ppt.report.latest is not None and ppt.report.latest.improvement == 0.9
    only_rom = progress.episode_progress(
        user=world.alice, episode_id=episode.public_id, key="cervical_flexion"
    )
    assert [one.points[-1].score for one in only_rom] == [45.0]


def test_the_progress_page_compares_each_series_once_and_summarises_as_the_summary_does(
    world, episode, monkeypatch
):
    """The page shows each series and the seven benefits judged from them: one comparison of
    each series serves both, and the benefits are those of the outcome summary on its own."""
    alone = progress.episode_outcome_summary(user=world.alice, episode_id=episode.public_id)
    compared: list[tuple[str, str | None]] = []

    def counted(instrument, observations, *, key=None, mcid=None):
        compared.append((instrument, key))
        return compare(instrument, observations, key=key, mcid=mcid)

    monkeypatch.setattr("needlerx.instruments.progress.compare", counted)
    monkeypatch.setattr("needlerx.clinical.outcome_summary.compare", counted)
    page = progress.episode_progress_page(user=world.alice, episode_id=episode.public_id)
    shown = [(one.instrument, one.key) for one in page.series]
    assert shown == [
        ("nprs", None),
        ("ppt", "upper_trapezius/left"),
        ("rom", "cervical_flexion"),
    ]
    assert sorted(compared, key=str) == sorted(shown, key=str)
    assert page.summary.to_dict() == alone.summary.to_dict()
