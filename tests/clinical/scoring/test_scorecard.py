# mypy: disable-error-code="union-attr"
"""The seven-benefit scorecard."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from needlerx.clinical.errors import ClinicalInputError
from needlerx.clinical.scorecard import (
    AdverseEventCounts,
    BenefitScorecard,
    aggregate,
    benefit_scorecard,
)
from needlerx.clinical.scoring.change import Observation

D0, D1 = dt.date(2025, 5, 5), dt.date(2025, 6, 2)
SITE = "upper_trapezius/left"


def pair(
    instrument: str, unit: str, before: float, after: float, key: str | None = None
) -> list[Observation]:
    return [
        Observation(instrument, D0, before, unit, key),
        Observation(instrument, D1, after, unit, key),
    ]


def full_episode() -> list[Observation]:
    return [
        *pair("nprs", "points", 7, 3),  # -4: improved
        *pair("ppt", "kg/cm2", 2.0, 2.9, SITE),  # +0.9 >= MDC 0.62: improved
        *pair("ppt", "kg/cm2", 2.5, 2.6, "levator_scapulae/right"),  # not treated below
        *pair("rom", "degrees", 40, 44, "cervical_flexion"),  # +4 < MDC 9.6: not improved
        *pair("rom", "degrees", 30, 45, "lumbar_flexion"),  # no threshold: not judged
        *pair("spasm", "episodes/week", 10, 4),  # -60 % >= 30 %: improved
        *pair("spasm", "points", 6, 3, "intensity"),  # no threshold
        *pair("ndi", "%", 40, 20),  # -20: responder (>= 15, >= 20.4? no) -> within error
        *pair("psfs", "points", 3, 7),  # +4: improved
        *pair("medication", "days/week", 6, 2),  # -4 days: improved
        *pair("medication", "MME/day", 0, 0, "mme_per_day"),  # no opioids: not shown
    ]


def card(**kwargs: Any) -> BenefitScorecard:
    defaults = {"session_count": 6, "adverse_events": {"mild": 1}, "treated_sites": [SITE]}
    return benefit_scorecard(full_episode(), **{**defaults, **kwargs})


def test_every_key_in_order():
    keys = [b.key for b in card().benefits]
    assert keys == [
        "pain_relief",
        "muscle_relaxation",
        "range_of_motion",
        "spasm_reduction",
        "recovery",
        "safety",
        "medication_reduction",
    ]


def test_statuses_for_a_full_episode():
    statuses = {b.key: b.status for b in card().benefits}
    assert statuses == {
        "pain_relief": "improved",
        "muscle_relaxation": "improved",
        "range_of_motion": "not_improved",
        "spasm_reduction": "improved",
        "recovery": "improved",  # PSFS improved, NDI within measurement error
        "safety": "improved",
        "medication_reduction": "improved",
    }


def test_pain_relief_shows_measurement_threshold_and_source():
    data = card().to_dict()["benefits"]["pain_relief"]
    assert (data["instrument"], data["baseline"], data["latest"], data["change"]) == (
        "nprs",
        7,
        3,
        -4,
    )
    assert data["threshold"]["id"] == "ostelo_2008"
    assert "Ostelo" in data["threshold"]["source"]["citation"]


def test_muscle_relaxation_uses_treated_sites_and_the_mdc():
    benefit = card().get("muscle_relaxation")
    assert [c.key for c in benefit.components] == [SITE]
    assert benefit.components[0].threshold_basis == "mdc"
    untreated = card(treated_sites=None).get("muscle_relaxation")
    assert len(untreated.components) == 2


def test_no_threshold_components_are_shown_but_not_judged():
    rom = card().get("range_of_motion")
    statuses = {c.key: c.status for c in rom.components}
    assert statuses == {"cervical_flexion": "not_improved", "lumbar_flexion": "no_threshold"}


def test_medication_without_opioids_leaves_mme_out():
    components = card().get("medication_reduction").components
    assert [c.key for c in components] == [None]


def test_nothing_measured():
    scorecard = benefit_scorecard([], session_count=0)
    assert {b.status for b in scorecard.benefits} == {"not_measured"}


def test_baseline_only_is_not_measured():
    scorecard = benefit_scorecard([Observation("nprs", D0, 6, "points")], session_count=1)
    assert scorecard.get("pain_relief").status == "not_measured"


def test_worse_pain():
    scorecard = benefit_scorecard(pair("nprs", "points", 3, 7), session_count=4)
    assert scorecard.get("pain_relief").status == "worse"


def test_clinic_threshold_choice_changes_the_verdict():
    # VAS 60 -> 40 mm: improved on the default; a chosen relative threshold is used and shown.
    obs = pair("vas", "mm", 60, 40)  # -20 mm >= 15 mm (Ostelo)
    assert benefit_scorecard(obs, session_count=2).get("pain_relief").status == "improved"
    chosen = benefit_scorecard(obs, session_count=2, thresholds={"vas": "ostelo_2008_relative"})
    assert chosen.get("pain_relief").components[0].threshold.id == "ostelo_2008_relative"


def test_aggregate_mixed_is_not_improved():
    improved = card().get("pain_relief").components[0]
    worse = (
        benefit_scorecard(pair("nprs", "points", 3, 7), session_count=1)
        .get("pain_relief")
        .components[0]
    )
    assert aggregate([improved, worse])[0] == "not_improved"
    assert aggregate([improved])[0] == "improved"
    assert aggregate([worse])[0] == "worse"


# --- safety --------------------------------------------------------------------------------


def test_safety_rates_against_published_rates():
    # 1,000 sessions, 300 mild = 300 per 1,000 <= Boyce 367 -> improved;
    # 1 significant = 1.0 per 1,000 > Boyce major 0.98 -> worse.
    ok = benefit_scorecard([], session_count=1000, adverse_events={"mild": 300})
    assert ok.get("safety").status == "improved"
    mild = ok.get("safety").components[0]
    assert (mild.key, mild.latest, mild.threshold.value) == ("mild", 300, 367)
    assert "Boyce" in mild.threshold.source.citation
    bad = benefit_scorecard([], session_count=1000, adverse_events={"mild": 300, "significant": 1})
    assert bad.get("safety").status == "worse"
    assert bad.get("safety").components[1].latest == 1.0


def test_safety_mild_above_published_rate_is_worse():
    # 40 mild in 100 sessions = 400 per 1,000 > 367.
    scorecard = benefit_scorecard([], session_count=100, adverse_events={"mild": 40})
    safety = scorecard.get("safety")
    assert safety.status == "worse"
    assert any("imprecise" in note for note in safety.notes)


def test_safety_serious_event_gets_a_note_and_no_sessions_is_not_measured():
    safety = benefit_scorecard(
        [], session_count=5000, adverse_events=AdverseEventCounts(serious=1)
    ).get("safety")
    assert safety.status == "improved"  # 0.2 per 1,000 <= 0.98
    assert any("serious" in note for note in safety.notes)
    assert benefit_scorecard([], session_count=0).get("safety").status == "not_measured"


@pytest.mark.parametrize(
    ("events", "sessions", "field"),
    [
        ({"minor": 1}, 10, "adverse_events.minor"),
        ({"mild": -1}, 10, "adverse_events.mild"),
        ({"mild": True}, 10, "adverse_events.mild"),
        ({"mild": 1}, -3, "session_count"),
        ({"mild": 1}, 2.5, "session_count"),
    ],
)
def test_safety_bad_input(events, sessions, field):
    with pytest.raises(ClinicalInputError) as raised:
        benefit_scorecard([], session_count=sessions, adverse_events=events)
    assert raised.value.field == field


def test_to_dict_is_plain_json():
    import json

    data = card().to_dict()
    assert set(data["benefits"]) == {b.key for b in card().benefits}
    json.dumps(data, default=str)
