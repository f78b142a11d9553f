"""Issue 10 at the screen's edges: the "because" sentence, the new input facts and their errors,
the request's ``as_of``, and the grading of single antiplatelet therapy."""

from __future__ import annotations

import re
from typing import Any

import pytest

from needlerx.clinical.errors import ClinicalInputError
from needlerx.clinical.reference import rule_set
from needlerx.clinical.screening import screen, screen_request
from tests.clinical.screening_helpers import answered

GLUTEUS = [{"muscle": "gluteus_medius", "side": "left", "technique": "static"}]
RHOMBOID = [{"muscle": "rhomboid_major", "side": "left", "technique": "static"}]


def finding(result: Any, rule_id: str) -> dict[str, Any]:
    data = result.to_dict()
    found = data["findings"] + [f for m in data["muscles"] for f in m["findings"]]
    return next(f for f in found if f["rule_id"] == rule_id)


def test_because_reads_bmi_with_height_and_weight():
    result = screen(answered(height_cm=170, weight_kg=50), RHOMBOID)
    assert finding(result, "REGION-PLEURA-LOW-BMI-001")["because"] == "BMI 17.3 (170 cm, 50 kg)."


def test_because_names_the_record_conflict_in_plain_words():
    facts = answered(anticoagulant_therapy=False, record_conflicts=["anticoagulant_therapy"])
    because = finding(screen(facts, GLUTEUS), "CONTRA-RECORD-CONFLICT-001")["because"]
    assert because == "An anticoagulant is on the medication list although the history says No."


def test_because_dates_the_inr():
    facts = answered(anticoagulant_therapy=True, inr=3.6, inr_date="2026-10-01")
    because = finding(screen(facts, GLUTEUS, as_of="2026-11-20"), "PREC-INR-HIGH-001")["because"]
    assert because == "INR 3.6 (measured 2026-10-01, 50 days before this screen)."


def test_because_of_a_combined_red_flag_and_a_cleared_one():
    facts = answered(history_of_cancer=True, night_pain=True)
    because = finding(screen(facts, GLUTEUS), "RF-MALIGNANCY-001")["because"]
    assert because == "History of cancer; constant night pain."
    cleared = screen({**facts, "medically_cleared_red_flags": ["suspected_malignancy"]}, GLUTEUS)
    item = finding(cleared, "RF-MALIGNANCY-CLEARED-001")
    assert item["severity"] == "precaution" and "cleared" in item["message"]
    assert "urgency" not in item


@pytest.mark.parametrize("rule", rule_set().rules, ids=lambda rule: rule.id)
def test_no_because_reads_like_code(rule):
    for case in (case for case in rule.cases if case.expect == "fires"):
        result = screen(answered(**case.facts), case.plan).to_dict()
        for item in result["findings"] + [f for m in result["muscles"] for f in m["findings"]]:
            because = item.get("because", "")
            assert not re.search(r"[a-z]_[a-z]|=|\bTrue\b|\bNone\b", because), because


def test_single_antiplatelet_is_documentation_combined_needs_a_rationale():
    alone = finding(screen(answered(antiplatelet_therapy=True), GLUTEUS), "CONTRA-ANTIPLATELET-001")
    assert alone["severity"] == "precaution"
    both = answered(antiplatelet_therapy=True, bleeding_disorder=True)
    combined = finding(screen(both, GLUTEUS), "CONTRA-ANTIPLATELET-COMBINED-001")
    assert combined["severity"] == "relative"


def test_blank_record_is_incomplete_through_the_json_request():
    result = screen_request({"facts": {}, "plan": GLUTEUS}).to_dict()
    assert result["decision"] == "incomplete"
    assert "anticoagulant_therapy" in result["missing"]
    assert result["muscles"][0]["allowed"] is True  # no rule blocks it; the decision blocks all


def test_request_as_of_dates_the_inr():
    facts = answered(anticoagulant_therapy=True, inr=2.5, inr_date="2026-11-01")
    fresh = screen_request({"facts": facts, "plan": GLUTEUS, "as_of": "2026-11-10"})
    stale = screen_request({"facts": facts, "plan": GLUTEUS, "as_of": "2026-12-10"})
    assert "PREC-INR-OUT-OF-DATE-001" not in {f.rule_id for f in fresh.findings}
    assert "PREC-INR-OUT-OF-DATE-001" in {f.rule_id for f in stale.findings}


def test_as_of_defaults_to_the_practitioner_date():
    facts = answered(anticoagulant_therapy=True, inr=2.5, inr_date="2026-11-01")
    context = {"credential": None, "jurisdiction": None, "as_of": "2026-12-10"}
    result = screen(facts, GLUTEUS, practitioner=context)
    assert "PREC-INR-OUT-OF-DATE-001" in {f.rule_id for f in result.findings}


@pytest.mark.parametrize(
    ("facts", "field", "fragment"),
    [
        (
            {"medically_cleared_red_flags": ["cancer"]},
            "facts.medically_cleared_red_flags[0]",
            "'suspected_malignancy'",
        ),
        (
            {"medically_cleared_red_flags": "suspected_malignancy"},
            "facts.medically_cleared_red_flags",
            "must be a list",
        ),
        (
            {"record_conflicts": ["diabetes"]},
            "facts.record_conflicts[0]",
            "'anticoagulant_therapy', 'antiplatelet_therapy', 'implanted_electrical_device', "
            "'pregnant'",
        ),
        ({"inr": 2.5, "inr_date": "01/11/2026"}, "facts.inr_date", "YYYY-MM-DD"),
        ({"inr_date": "2026-11-01"}, "facts.inr_date", "only given together with inr"),
        ({"inr": 2.5, "inr_date": "2026-12-01"}, "facts.inr_date", "after the screening date"),
        ({"inr": 40}, "facts.inr", "from 0.5 to 15"),
        ({"inr_age_days": 3}, "facts.inr_age_days", "computed by the screen"),
        (
            {"diabetes": False, "diabetes_poorly_controlled": True},
            "facts.diabetes_poorly_controlled",
            "contradicts diabetes",
        ),
    ],
)
def test_new_facts_reject_bad_input_naming_the_field(facts, field, fragment):
    with pytest.raises(ClinicalInputError) as raised:
        screen(facts, GLUTEUS, as_of="2026-11-25")
    assert raised.value.field == field
    assert fragment in raised.value.message


def test_bad_as_of_names_the_field():
    with pytest.raises(ClinicalInputError) as raised:
        screen_request({"facts": {}, "plan": [], "as_of": "tomorrow"})
    assert raised.value.field == "as_of"
