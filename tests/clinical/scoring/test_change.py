# mypy: disable-error-code="union-attr"
"""Change from baseline, responders against MCID, the MDC rule and direction-awareness."""

from __future__ import annotations

import datetime as dt

import pytest

from needlerx.clinical.errors import ClinicalInputError
from needlerx.clinical.evidence import Source
from needlerx.clinical.scoring import Threshold, score
from needlerx.clinical.scoring.change import Observation, compare, observations_from_result

D0, D1, D2 = dt.date(2025, 3, 3), dt.date(2025, 3, 17), dt.date(2025, 4, 14)


def series(instrument: str, unit: str, *values: float, key: str | None = None) -> list[Observation]:
    days = [D0, D1, D2][: len(values)]
    return [Observation(instrument, d, v, unit, key) for d, v in zip(days, values, strict=True)]


def test_nprs_responder_against_consensus_default():
    # 7 -> 4: change -3, improvement 3 >= MCID 2 (Ostelo) and >= MDC 2 (Childs) -> responder.
    report = compare("nprs", series("nprs", "points", 7, 4))
    assert report.mcid.id == "ostelo_2008"
    assert report.latest.change == -3
    assert report.latest.percent_change == -42.86  # -3 / 7 x 100
    assert report.latest.status == "responder"


def test_change_below_mdc_is_within_measurement_error_even_above_mcid():
    # NPRS 6 -> 4.5 with Cleland's neck MCID 1.3: improvement 1.5 >= 1.3 but < MDC 2.
    report = compare("nprs", series("nprs", "points", 6, 4.5), mcid="cleland_2008")
    assert report.latest.within_measurement_error is True
    assert report.latest.status == "within_measurement_error"


def test_exactly_the_mcid_is_a_responder():
    # ODI 40 -> 30: improvement 10 = MCID 10 = MDC 10.
    assert compare("odi", series("odi", "%", 40, 30)).latest.status == "responder"


def test_ndi_default_uses_young_2009_in_percent_points():
    # Young 2009: MCID 7.5 raw -> 15 %; MDC 10.2 raw -> 20.4 %.
    # 50 % -> 32 %: improvement 18 >= 15 but < 20.4 -> within measurement error.
    report = compare("ndi", series("ndi", "%", 50, 32))
    assert (report.mcid.value, report.mdc.value) == (15, 20.4)
    assert report.latest.status == "within_measurement_error"
    # 50 % -> 28 %: improvement 22 -> responder.
    assert compare("ndi", series("ndi", "%", 50, 28)).latest.status == "responder"


def test_deterioration_is_reported():
    # RMDQ 8 -> 14: worse by 6 >= MCID 5 and >= MDC 5.
    report = compare("rmdq", series("rmdq", "points", 8, 14))
    assert report.latest.direction == "worse"
    assert report.latest.status == "deteriorated"


def test_psfs_higher_is_better():
    # PSFS 3 -> 6: +3 is an improvement of 3 >= MCID 1.3 and >= MDC 2.
    up = compare("psfs", series("psfs", "points", 3, 6)).latest
    assert (up.improvement, up.direction, up.status) == (3, "better", "responder")
    # PSFS 6 -> 3: a fall is a deterioration.
    down = compare("psfs", series("psfs", "points", 6, 3)).latest
    assert (down.improvement, down.direction, down.status) == (-3, "worse", "deteriorated")


def test_ppt_higher_is_better_and_judged_by_mdc_only():
    site = "upper_trapezius/left"
    report = compare("ppt", series("ppt", "kg/cm2", 2.0, 2.8, key=site), key=site)
    assert report.mcid is None
    assert report.mdc.value == 0.62
    assert report.latest.direction == "better"
    assert report.latest.status == "not_assessable"
    small = compare("ppt", series("ppt", "kg/cm2", 2.0, 2.3, key=site), key=site)
    assert small.latest.status == "within_measurement_error"


def test_relative_mcid():
    # NPRS 8 -> 5: 37.5 % better >= 30 % but absolute 3 ... use relative threshold.
    report = compare("nprs", series("nprs", "points", 8, 5), mcid="ostelo_2008_relative")
    assert report.latest.status == "responder"
    # NPRS 10 -> 8: 20 % better < 30 %, and change 2 = MDC -> not a responder.
    report = compare("nprs", series("nprs", "points", 10, 8), mcid="ostelo_2008_relative")
    assert report.latest.status == "not_responder"


def test_relative_mcid_from_zero_baseline():
    # MME 0 -> 30 with a relative threshold: any rise from zero is a deterioration.
    obs = series("medication", "MME/day", 0, 30, key="mme_per_day")
    report = compare("medication", obs, key="mme_per_day")
    assert report.latest.percent_change is None
    assert report.latest.status == "deteriorated"


def test_clinic_threshold_with_its_own_source():
    clinic = Threshold(
        id="clinic_neck",
        value=3,
        scale_unit="NPRS points",
        population="Our neck-pain caseload",
        source=Source(citation="Clinic policy 2025-04", confidence="unconfirmed"),
    )
    report = compare("nprs", series("nprs", "points", 7, 5), mcid=clinic)
    assert report.mcid.id == "clinic_neck"
    assert report.latest.status == "not_responder"  # improvement 2 < 3 (and = MDC 2)


def test_baseline_is_first_in_time_whatever_the_order_and_each_time_point_is_compared():
    obs = [
        Observation("nprs", D2, 2, "points"),
        Observation("nprs", D0, 8, "points"),
        Observation("nprs", D1, 7, "points"),
    ]
    report = compare("nprs", obs)
    assert report.baseline.score == 8
    assert [p.change for p in report.time_points] == [-1, -6]
    assert [p.status for p in report.time_points] == ["within_measurement_error", "responder"]
    assert report.latest.at == D2


def test_aware_datetimes_and_dates_sort_together():
    early = dt.datetime(2025, 3, 3, 9, 0, tzinfo=dt.UTC)
    obs = [Observation("nprs", D1, 3, "points"), Observation("nprs", early, 7, "points")]
    assert compare("nprs", obs).baseline.score == 7
    with pytest.raises(ClinicalInputError) as raised:
        compare("nprs", [Observation("nprs", dt.datetime(2025, 3, 3), 7, "points")])  # noqa: DTZ001
    assert raised.value.field == "observations[0].at"


def test_single_observation_has_no_change_and_empty_series_has_no_baseline():
    assert compare("nprs", series("nprs", "points", 6)).latest is None
    assert compare("nprs", []).baseline is None


def test_wrong_unit_and_mixed_versions_are_refused():
    with pytest.raises(ClinicalInputError) as raised:
        compare("ndi", series("ndi", "points", 20, 10))
    assert raised.value.field == "observations[0].unit"
    mixed = [
        Observation("odi", D0, 40, "%", None, "odi-2.1a.r1"),
        Observation("odi", D1, 30, "%", None, "odi-modified.r1"),
    ]
    with pytest.raises(ClinicalInputError) as raised:
        compare("odi", mixed)
    assert raised.value.field == "observations"


def test_unknown_threshold_and_series_key():
    with pytest.raises(ClinicalInputError) as raised:
        compare("nprs", [], mcid="made_up")
    assert raised.value.field == "mcid"
    assert "ostelo_2008" in raised.value.message
    with pytest.raises(ClinicalInputError) as raised:
        compare("rom", [], key="neck_twist")
    assert raised.value.field == "key"
    with pytest.raises(ClinicalInputError):
        compare("ppt", [])


def test_observations_from_a_score_result():
    result = score(
        "medication",
        {
            "analgesic_days_per_week": 4,
            "opioids": [{"drug": "morphine", "dose": 10, "unit": "mg", "doses_per_day": 2}],
        },
    )
    obs = observations_from_result(result, D0)
    assert [(o.key, o.score, o.unit) for o in obs] == [
        (None, 4, "days/week"),
        ("mme_per_day", 20, "MME/day"),
    ]
    assert all(o.instrument_version == "medication-use.r1" for o in obs)
