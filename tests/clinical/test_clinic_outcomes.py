"""The clinic's share beyond the MCID, counted from grouped (baseline, latest) pairs, judged as
the episode outcome summary judges one episode; and the limits of such figures, sourced."""

from __future__ import annotations

import pytest

from needlerx.clinical.clinic_outcomes import (
    MeasuredEpisodes,
    benefit_share,
    clinic_outcomes_text,
    completion,
    counted_benefits,
    judge,
)
from needlerx.clinical.outcome_definition import BenefitDefinition
from needlerx.clinical.safety_rate import wilson_interval


def _pain() -> BenefitDefinition:
    return next(b for b in counted_benefits() if b.key == "pain_relief")


def test_the_counted_benefits_are_those_judged_on_a_main_score_against_an_mcid() -> None:
    # The stiffness rating has no published MCID: counting it would show "0 % improved".
    assert [b.key for b in counted_benefits()] == ["pain_relief", "recovery"]


@pytest.mark.parametrize(
    ("baseline", "latest", "status"),
    [
        (8, 3, "improved"),  # 5 points, 62 %
        (5, 3, "improved"),  # 2 points and 40 %
        (9, 7, "not_improved"),  # 2 points but 22 %: NPRS needs both (Ostelo 2008)
        (6, 5, "not_improved"),
        (3, 6, "worse"),
    ],
)
def test_nprs_pairs_are_judged_by_the_default_responder_rule(baseline, latest, status) -> None:
    assert judge("nprs", baseline, latest, {}) == status


def test_a_share_counts_each_group_of_episodes_with_its_interval() -> None:
    rows = [
        MeasuredEpisodes("nprs", 8, 3, discharged=True, episodes=5),
        MeasuredEpisodes("nprs", 6, 5, discharged=False, episodes=3),
        MeasuredEpisodes("nprs", 3, 6, discharged=True, episodes=1),
        MeasuredEpisodes("nprs", 7, None, discharged=True, episodes=2),
        MeasuredEpisodes("vas", 70, None, discharged=False, episodes=4),
    ]
    share = benefit_share(_pain(), rows)
    assert (share.with_baseline, share.followed_up, share.improved, share.worse) == (15, 9, 5, 1)
    assert (share.lost_to_follow_up, share.awaiting_follow_up) == (2, 4)
    assert share.share == wilson_interval(5, 9)
    assert share.instruments == ("NPRS", "VAS")


def test_no_later_measure_means_no_share() -> None:
    share = benefit_share(_pain(), [MeasuredEpisodes("nprs", 7, None, True, 3)])
    assert share.share is None and share.to_dict()["improved_percent"] is None
    assert completion(0, 0) is None
    assert completion(3, 4) == wilson_interval(3, 4)


def test_every_limit_of_the_dashboard_names_its_source() -> None:
    text = clinic_outcomes_text()
    ids = {limit.id for limit in text.limits}
    assert {"no_control_group", "loss_to_follow_up", "regression_to_the_mean"} <= ids
    assert all(limit.source.citation for limit in text.limits)
