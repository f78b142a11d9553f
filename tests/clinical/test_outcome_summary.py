# mypy: disable-error-code="union-attr"
"""The episode outcome summary: one pre-specified primary measure per benefit decides its status;
secondary series are shown and never counted; safety is a rate with a confidence interval."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from needlerx.clinical.errors import ClinicalInputError
from needlerx.clinical.outcome_definition import BENEFIT_KEYS, outcome_summary_definition
from needlerx.clinical.outcome_summary import OutcomeSummary, outcome_summary
from needlerx.clinical.safety_rate import safety_report, wilson_interval
from needlerx.clinical.scoring.change import Observation

D0, D1 = dt.date(2025, 5, 5), dt.date(2025, 6, 2)
NECK, BACK = ["cervical"], ["lumbar"]


def pair(
    instrument: str, unit: str, before: float, after: float, key: str | None = None
) -> list[Observation]:
    return [
        Observation(instrument, D0, before, unit, key),
        Observation(instrument, D1, after, unit, key),
    ]


def summary(*observations: list[Observation], regions=NECK, **kwargs) -> OutcomeSummary:
    flat = [o for group in observations for o in group]
    return outcome_summary(flat, regions=regions, session_count=kwargs.pop("sessions", 0), **kwargs)


def test_every_benefit_in_order_with_the_attribution_said_once():
    result = summary()
    assert tuple(benefit.key for benefit in result.benefits) == BENEFIT_KEYS
    assert result.title == "Episode outcome summary"
    assert "included dry needling" in result.scope
    assert "not the effect of dry needling alone" in result.attribution
    assert {benefit.status for benefit in result.benefits} == {"not_measured"}


def test_pain_is_judged_on_the_nprs_and_the_vas_is_shown_but_not_counted():
    result = summary(pair("nprs", "points", 7, 3), pair("vas", "mm", 40, 70))
    pain = result.get("pain_relief")
    assert pain.status == "improved" and pain.primary.instrument == "nprs"
    assert [(s.instrument, s.status) for s in pain.secondary] == [("vas", "worse")]


def test_the_vas_is_primary_only_when_no_nprs_was_taken():
    pain = summary(pair("vas", "mm", 60, 30)).get("pain_relief")
    assert pain.primary.instrument == "vas" and pain.secondary == ()


@pytest.mark.parametrize(
    ("regions", "measured", "primary"),
    [
        (NECK, ("ndi", "odi"), "ndi"),
        (BACK, ("ndi", "odi", "rmdq"), "odi"),
        (BACK, ("ndi", "rmdq"), "rmdq"),
        (["thoracic"], ("odi",), "odi"),
        (["lumbar", "cervical"], ("ndi", "odi"), "odi"),  # the first region decides
    ],
)
def test_function_is_judged_on_the_questionnaire_of_the_episode_region(regions, measured, primary):
    values = {"ndi": pair("ndi", "%", 40, 20), "odi": pair("odi", "%", 40, 20)}
    values["rmdq"] = pair("rmdq", "points", 12, 6)
    recovery = summary(*(values[name] for name in measured), regions=regions).get("recovery")
    assert recovery.primary.instrument == primary
    assert primary not in {s.instrument for s in recovery.secondary}
    assert set(measured) - {primary} <= {s.instrument for s in recovery.secondary}


def test_a_neck_questionnaire_does_not_decide_a_back_episode():
    recovery = summary(pair("ndi", "%", 60, 10), regions=BACK).get("recovery")
    assert recovery.status == "not_measured"
    assert [s.instrument for s in recovery.secondary] == ["ndi"]


def test_tenderness_is_never_muscle_relaxation():
    # Review W7/W8: one of four PPT sites beyond the MDC used to read "muscle relaxation improved".
    sites = ["upper_trapezius/left", "upper_trapezius/right", "levator_scapulae/left"]
    relaxation = summary(
        pair("ppt", "kg/cm2", 2.0, 3.0, sites[0]),
        *(pair("ppt", "kg/cm2", 2.0, 2.1, site) for site in sites[1:]),
    ).get("muscle_relaxation")
    assert relaxation.status == "not_measured" and relaxation.primary is None
    assert [(s.key, s.status) for s in relaxation.secondary] == [
        ("levator_scapulae/left", "change_shown"),  # no MDC is published for this site
        ("upper_trapezius/left", "beyond_measurement_error"),
        ("upper_trapezius/right", "within_measurement_error"),
    ]
    assert any("tenderness" in note for note in relaxation.notes)


def test_the_stiffness_rating_is_the_relaxation_measure_and_is_shown_not_judged():
    relaxation = summary(pair("stiffness", "points", 8, 3)).get("muscle_relaxation")
    assert relaxation.primary.instrument == "stiffness"
    assert relaxation.status == "change_shown"  # no MCID or measurement error is published
    assert (relaxation.primary.baseline, relaxation.primary.latest) == (8, 3)


def test_range_of_motion_is_one_pre_specified_motion_judged_against_measurement_error():
    # Review W8: 1 of 6 cervical motions +10 degrees used to read "range of motion improved".
    motions = ["cervical_rotation_left", "cervical_extension", "cervical_lateral_flexion_left"]
    rom = summary(
        pair("rom", "degrees", 40, 42, "cervical_flexion"),
        *(pair("rom", "degrees", 50, 60 if m == motions[0] else 50, m) for m in motions),
    ).get("range_of_motion")
    assert rom.primary.key == "cervical_flexion"
    assert rom.status == "within_measurement_error"
    assert {s.key for s in rom.secondary} == set(motions)
    beyond = summary(pair("rom", "degrees", 40, 52, "cervical_flexion")).get("range_of_motion")
    assert beyond.status == "beyond_measurement_error"  # 12 >= MDC 9.6, never "improved"
    assert beyond.primary.threshold.value == 9.6


def test_a_back_episode_takes_the_modified_schober_test_first():
    rom = summary(
        pair("rom", "cm", 3.0, 5.0, "modified_schober_cm"),
        pair("rom", "cm", 20, 5, "fingertip_to_floor_cm"),
        regions=BACK,
    ).get("range_of_motion")
    assert rom.primary.key == "modified_schober_cm"
    assert rom.status == "beyond_measurement_error"  # +2.0 cm >= MDC 1.8 cm (Robinson 2014)
    assert [s.key for s in rom.secondary] == ["fingertip_to_floor_cm"]


def test_spasms_are_described_not_judged():
    # Review W8: 3 -> 2 spasms a week used to read "improved" against an invented 30 %.
    spasm = summary(pair("spasm", "episodes/week", 3, 2)).get("spasm_reduction")
    assert spasm.status == "change_shown" and spasm.primary.change == -1


def test_medication_is_not_applicable_when_none_was_taken_at_the_start():
    medication = summary(pair("medication", "days/week", 0, 0)).get("medication_reduction")
    assert medication.status == "not_applicable"
    taking = summary(
        pair("medication", "days/week", 6, 2), pair("medication", "MME/day", 45, 20, "mme_per_day")
    ).get("medication_reduction")
    assert taking.status == "change_shown"
    assert [(s.key, s.status) for s in taking.secondary] == [("mme_per_day", "change_shown")]


def test_a_clinic_threshold_choice_changes_the_verdict():
    observations = pair("nprs", "points", 3, 1)  # 2 points: Ostelo 2008's MCID, the default
    assert summary(observations).get("pain_relief").status == "improved"
    chosen = summary(observations, thresholds={"nprs": "childs_2005_1_week"}).get("pain_relief")
    assert chosen.status == "not_improved" and chosen.primary.mcid.value == 2.2


# --- safety -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "total", "low", "high"),
    [  # Newcombe 1998, table II, method 3 (score interval without continuity correction)
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_the_wilson_interval_matches_newcombes_worked_examples(count, total, low, high):
    interval = wilson_interval(count, total)
    assert (round(interval.low, 4), round(interval.high, 4)) == (low, high)


def test_six_sessions_without_events_is_a_wide_rate_not_an_improvement():
    # Review W8: 6 sessions with no events used to read "Safety: improved".
    safety = summary(sessions=6).get("safety")
    assert safety.status == "rate"
    mild = safety.safety.rates[0]
    assert (mild.per_1000, mild.ci_low) == (0.0, 0.0)
    assert round(mild.ci_high, 1) == 390.3  # 3.84 / (6 + 3.84)
    assert mild.comparison == "consistent"  # Boyce 2020: 367 per 1,000 lies inside the interval


def test_a_rate_is_above_a_published_rate_only_when_its_interval_excludes_it():
    report = safety_report(1000, {"significant": 6})
    major = next(rate for rate in report.rates if rate.group == "major")
    assert major.ci_low > major.comparator.per_1000  # 6 per 1,000 against Boyce's 0.98
    assert major.comparison == "above" and "above the published" in major.words
    few = safety_report(2000, {"mild": 100})
    assert next(r for r in few.rates if r.group == "mild").comparison == "below"


def test_follow_up_completion_and_serious_events_are_reported():
    safety = summary(
        sessions=10, adverse_events={"serious": 1}, follow_ups_due=8, follow_ups_made=6
    ).get("safety")
    assert safety.safety.follow_up_completion.count == 6
    assert any("1 serious adverse event" in note for note in safety.notes)
    assert any("2 of 8 follow-up contacts were not made" in note for note in safety.notes)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"sessions": -1}, "session_count"),
        ({"sessions": 2.5}, "session_count"),
        ({"sessions": 3, "adverse_events": {"severe": 1}}, "adverse_events.severe"),
        ({"sessions": 3, "adverse_events": {"mild": -1}}, "adverse_events.mild"),
        ({"sessions": 3, "follow_ups_due": 2, "follow_ups_made": 3}, "follow_ups_made"),
    ],
)
def test_bad_safety_input_names_the_field(kwargs, field):
    with pytest.raises(ClinicalInputError) as error:
        summary(**kwargs)
    assert error.value.field == field


def test_to_dict_is_plain_json():
    result = summary(pair("nprs", "points", 7, 3), sessions=4, adverse_events={"mild": 1})
    data = json.loads(json.dumps(result.to_dict()))
    assert data["benefits"]["pain_relief"]["primary"]["threshold"]["id"] == "ostelo_2008"
    assert data["benefits"]["safety"]["safety"]["rates"][0]["ci_95"][1] > 0


# --- properties ---------------------------------------------------------------------------------

SERIES = [
    ("nprs", None, "points", 0, 10),
    ("vas", None, "mm", 0, 100),
    ("stiffness", None, "points", 0, 10),
    ("ndi", None, "%", 0, 100),
    ("odi", None, "%", 0, 100),
    ("rmdq", None, "points", 0, 24),
    ("psfs", None, "points", 0, 10),
    ("ppt", "upper_trapezius/left", "kg/cm2", 0.5, 10),
    ("rom", "cervical_flexion", "degrees", 0, 90),
    ("rom", "cervical_rotation_left", "degrees", 0, 90),
    ("rom", "modified_schober_cm", "cm", 0, 10),
    ("spasm", None, "episodes/week", 0, 30),
    ("medication", None, "days/week", 0, 7),
    ("medication", "mme_per_day", "MME/day", 0, 300),
]


@st.composite
def episodes(draw):
    observations = []
    for instrument, key, unit, low, high in draw(st.lists(st.sampled_from(SERIES), unique=True)):
        whole = unit in ("points", "%", "days/week", "episodes/week") and instrument != "psfs"
        value = st.integers(int(low), int(high)) if whole else st.floats(low, high)
        for day in range(draw(st.integers(1, 3))):
            at = D0 + dt.timedelta(days=7 * day)
            observations.append(Observation(instrument, at, float(draw(value)), unit, key))
    regions = draw(st.sampled_from([NECK, BACK, ["thoracic"], ["lumbar", "cervical"]]))
    sessions = draw(st.integers(0, 40))
    events = {"mild": draw(st.integers(0, sessions)), "serious": draw(st.integers(0, 2))}
    return observations, regions, sessions, events


@settings(max_examples=150, deadline=None)
@given(episodes())
def test_improved_only_when_the_primary_measure_passed_its_mcid_and_safety_never(episode):
    observations, regions, sessions, events = episode
    result = outcome_summary(
        observations, regions=regions, session_count=sessions, adverse_events=events
    )
    definition = outcome_summary_definition()
    for benefit in result.benefits:
        if benefit.key == "safety":
            assert benefit.status in ("rate", "not_measured")
            continue
        if benefit.status == "improved":
            primary = benefit.primary
            assert primary is not None and primary.primary and primary.mcid is not None
            assert primary.responder == "responder"
            assert definition.benefit(benefit.key).judged_by == "mcid"
        assert all(not series.primary for series in benefit.secondary)
        assert benefit.status == (benefit.primary.status if benefit.primary else "not_measured")
