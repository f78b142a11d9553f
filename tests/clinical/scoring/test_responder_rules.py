# mypy: disable-error-code="union-attr"
"""NPRS responders need at least 2 points AND at least 30 % (Ostelo 2008; Farrar 2001), and the
Thieme baseline-dependent MCID can be chosen instead (review W13)."""

from __future__ import annotations

import datetime as dt

import pytest

from needlerx.clinical.errors import ClinicalInputError
from needlerx.clinical.scoring.change import Observation, compare
from needlerx.clinical.scoring.library import get_instrument

D0, D1 = dt.date(2025, 3, 3), dt.date(2025, 3, 17)


def nprs(baseline: int, follow_up: int) -> list[Observation]:
    return [
        Observation("nprs", D0, baseline, "points"),
        Observation("nprs", D1, follow_up, "points"),
    ]


@pytest.mark.parametrize(
    ("baseline", "follow_up", "status", "points_met", "percent_met", "percent"),
    [
        (9, 7, "not_responder", True, False, 22.22),  # 2 points but 22 %: the review's case
        (5, 3, "responder", True, True, 40.0),
        (3, 1, "responder", True, True, 66.67),
        (7, 4, "responder", True, True, 42.86),
        (10, 7, "responder", True, True, 30.0),  # exactly 30 %
        (8, 5, "responder", True, True, 37.5),
        (2, 5, "deteriorated", False, False, -150.0),
    ],
)
def test_default_nprs_responder_needs_two_points_and_thirty_percent(
    baseline: int, follow_up: int, status: str, points_met: bool, percent_met: bool, percent: float
) -> None:
    report = compare("nprs", nprs(baseline, follow_up))
    latest = report.latest
    assert report.responder_rule.id == "ostelo_2008_points_and_percent"
    assert [part.id for part in report.responder_rule.parts] == [
        "ostelo_2008",
        "ostelo_2008_relative",
    ]
    assert report.mcid.id == "ostelo_2008"  # the points part, as before
    assert latest.status == status
    assert latest.absolute_threshold_met is points_met
    assert latest.percent_threshold_met is percent_met
    assert latest.percent_improvement == percent
    assert latest.to_dict()["percent_threshold_met"] is percent_met


def test_the_rule_lives_in_the_data_file() -> None:
    measure = get_instrument("nprs").score
    rule = measure.responder_rule(str(measure.default_responder_rule))
    assert rule.all_of == ["ostelo_2008", "ostelo_2008_relative"]
    assert "Ostelo" in rule.source.citation


def test_one_threshold_can_still_be_chosen() -> None:
    # A clinic choosing the 2-point MCID alone gets the old answer for 9 -> 7.
    report = compare("nprs", nprs(9, 7), mcid="ostelo_2008")
    assert report.responder_rule is None
    assert report.latest.status == "responder"
    assert report.latest.percent_threshold_met is None


@pytest.mark.parametrize(
    ("baseline", "follow_up", "mcid", "band", "status"),
    [
        (3, 1, 1, "baseline 1 to 4", "responder"),
        (6, 4, 2, "baseline 5 to 7", "responder"),
        (9, 6, 4, "baseline 8 to 10", "not_responder"),  # "3-4" read as the conservative 4
        (9, 5, 4, "baseline 8 to 10", "responder"),
    ],
)
def test_thieme_baseline_dependent_mcid(
    baseline: int, follow_up: int, mcid: float, band: str, status: str
) -> None:
    chosen = "thieme_specific_back_pain_by_baseline"
    report = compare("nprs", nprs(baseline, follow_up), mcid=chosen)
    assert (report.mcid.value, report.mcid.baseline_band, report.latest.status) == (
        mcid,
        band,
        status,
    )


def test_thieme_is_not_the_default() -> None:
    assert compare("nprs", nprs(3, 1)).mcid.baseline_band is None


def test_unknown_choice_lists_rules_too() -> None:
    with pytest.raises(ClinicalInputError, match="ostelo_2008_points_and_percent"):
        compare("nprs", nprs(5, 3), mcid="nope")


@pytest.mark.parametrize("instrument", ["odi", "rmdq"])
def test_odi_and_rmdq_keep_points_or_percent_as_alternatives(instrument: str) -> None:
    # Ostelo 2008 gives "10 points or 30 %" (ODI) and "5 points or 30 %" (RMDQ): not combined.
    measure = get_instrument(instrument).score
    assert measure.responder_rules == []
    assert any("OR" in note for note in measure.notes)


def ppt(site: str, *values: float) -> list[Observation]:
    days = [D0, D1]
    return [Observation("ppt", d, v, "kg/cm2", site) for d, v in zip(days, values, strict=True)]


def test_the_trapezius_ppt_mdc_is_used_at_the_upper_trapezius_only() -> None:
    # 0.62 kg/cm2: trapezius trigger points, women with chronic neck pain (review W10).
    trapezius = compare("ppt", ppt("upper_trapezius/left", 2.0, 2.3), key="upper_trapezius/left")
    assert trapezius.mdc.value == 0.62
    assert trapezius.latest.status == "within_measurement_error"


@pytest.mark.parametrize(
    "site", ["lumbar_erector_spinae/left", "gluteus_medius/right", "quadratus_lumborum/left"]
)
def test_a_ppt_site_without_a_published_mdc_has_none(site: str) -> None:
    report = compare("ppt", ppt(site, 4.0, 4.3), key=site)
    assert report.mdc is None
    assert report.latest.within_measurement_error is None
    assert report.latest.status == "not_assessable"


def test_the_trapezius_mdc_cannot_be_chosen_for_another_muscle() -> None:
    site = "gluteus_medius/left"
    with pytest.raises(ClinicalInputError, match="upper_trapezius"):
        compare("ppt", ppt(site, 4.0, 4.3), key=site, mdc="trapezius_neck_pain_2021")
