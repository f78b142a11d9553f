"""Run every rule's executable cases, every red flag, every eligibility finding and input error."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pytest

from needlerx.clinical.errors import ClinicalInputError
from needlerx.clinical.reference import red_flag_document, red_flags, rule_set
from needlerx.clinical.screening import Finding, ScreeningResult, screen, screen_request
from tests.clinical.screening_helpers import answered

RULE_CASES = [
    pytest.param(rule, case, id=f"{rule.id}: {case.name}")
    for rule in rule_set().rules
    for case in rule.cases
]


def fired_on(result: ScreeningResult, rule_id: str) -> list[int]:
    return [i for i, muscle in enumerate(result.muscles) if rule_id in _ids(muscle.findings)]


def _ids(findings: Iterable[Finding]) -> set[str]:
    return {finding.rule_id for finding in findings}


@pytest.mark.parametrize(("rule", "case"), RULE_CASES)
def test_rule_case(rule, case):
    result = screen(case.facts, case.plan)
    in_patient = rule.id in _ids(result.findings)
    entries = fired_on(result, rule.id)
    if rule.scope == "patient":
        assert entries == []
        assert in_patient == (case.expect == "fires")
        return
    assert not in_patient
    if case.expect == "silent":
        assert entries == []
    else:
        assert entries, f"{rule.id} did not fire on any planned entry"
        if case.fires_on is not None:
            assert entries == case.fires_on


@pytest.mark.parametrize("rule", rule_set().rules, ids=lambda rule: rule.id)
def test_a_firing_finding_explains_itself(rule):
    case = next(case for case in rule.cases if case.expect == "fires")
    result = screen(case.facts, case.plan).to_dict()
    found = [f for f in result["findings"] if f["rule_id"] == rule.id] + [
        f for m in result["muscles"] for f in m["findings"] if f["rule_id"] == rule.id
    ]
    finding = found[0]
    assert finding["severity"] == rule.severity
    assert finding["message"] == rule.message
    assert finding["actions"] == rule.actions
    assert finding["source"] == rule.source.citation
    assert finding["source_confidence"] == rule.source.confidence
    assert set(rule.reads) >= set(finding["facts"]) - set(rule.context_facts)


@pytest.mark.parametrize("flag", red_flags(), ids=lambda flag: flag.id)
def test_red_flag_refers_with_its_urgency(flag):
    plan = [{"muscle": "gluteus_medius", "side": "left", "technique": "static"}]
    slow = {"neurological_deficit_rapidly_progressive": False}
    result = screen(answered(**slow, **{flag.fact: True}), plan).to_dict()
    assert result["decision"] == "refer"
    assert result["urgency"] == flag.urgency
    assert [f["rule_id"] for f in result["findings"]] == [flag.id]
    assert result["findings"][0]["facts"] == {flag.fact: True}
    assert result["muscles"][0]["allowed"] is False
    silent = screen(answered(**slow, **{flag.fact: False}), plan).to_dict()
    assert silent["decision"] == "proceed" and "urgency" not in silent


COMBINATION_CASES = [
    pytest.param(combination, case, id=f"{combination.red_flag}: {case.name}")
    for combination in red_flag_document().combinations
    for case in combination.cases
]


@pytest.mark.parametrize(("combination", "case"), COMBINATION_CASES)
def test_red_flag_combination_case(combination, case):
    """Structured items raise the flag even when the flag itself was answered No."""
    flag = next(flag for flag in red_flags() if flag.fact == combination.red_flag)
    result = screen(answered(**case.facts), [])
    ids = {finding.rule_id for finding in result.findings}
    assert (flag.id in ids) == (case.expect == "fires")
    if case.expect == "fires":
        assert result.decision == "refer"
        finding = next(f for f in result.findings if f.rule_id == flag.id)
        assert set(finding.facts) <= combination.reads | {flag.fact}


def test_emergency_outranks_urgent_red_flag():
    result = screen({"suspected_fracture": True, "cauda_equina_signs": True}, [])
    assert (result.decision, result.urgency) == ("refer", "emergency")
    assert result.findings[0].rule_id == "RF-CAUDA-EQUINA-001"


# --- practitioner eligibility ----------------------------------------------------------------

PLAN = [{"muscle": "gluteus_medius", "side": "left", "technique": "static"}]
CURRENT: dict[str, Any] = {"hours": 60, "completed_on": "2024-03-01", "expires_on": "2027-03-01"}


def practitioner(
    credential: dict[str, Any] | None = CURRENT,
    region: str | None = "CO",
    country: str = "US",
    as_of: str = "2026-11-01",
) -> dict[str, Any]:
    jurisdiction = None if region is None else {"country": country, "region": region}
    return {"credential": credential, "jurisdiction": jurisdiction, "as_of": as_of}


@pytest.mark.parametrize(
    ("context", "rule_id", "decision"),
    [
        (practitioner(), None, "proceed"),
        (practitioner(credential=None), "ELIG-CREDENTIAL-001", "do_not_needle"),
        (practitioner(as_of="2024-02-01"), "ELIG-CREDENTIAL-002", "do_not_needle"),
        (practitioner(as_of="2027-03-02"), "ELIG-CREDENTIAL-003", "do_not_needle"),
        (practitioner(as_of="2027-03-01"), None, "proceed"),
        (practitioner(region=None), "ELIG-JURISDICTION-001", "proceed_with_precautions"),
        (
            practitioner(country="GB", region="ENG"),
            "ELIG-JURISDICTION-002",
            "proceed_with_precautions",
        ),
        (practitioner(region="NY"), "ELIG-SCOPE-001", "do_not_needle"),
        (practitioner(region="PA"), "ELIG-SCOPE-002", "proceed_with_precautions"),
        (practitioner(credential={**CURRENT, "hours": 29}), "ELIG-TRAINING-001", "do_not_needle"),
        (
            practitioner(credential={**CURRENT, "hours": 30}),
            "ELIG-TRAINING-003",
            "proceed_with_precautions",
        ),
        (practitioner(credential={**CURRENT, "hours": 50}), None, "proceed"),
        (
            practitioner(credential={**CURRENT, "hours": 39}, region="NJ"),
            "ELIG-TRAINING-001",
            "do_not_needle",
        ),
        (practitioner(credential={**CURRENT, "hours": 40}, region="NJ"), None, "proceed"),
        (
            practitioner(credential={**CURRENT, "hours": 40}, region="VA"),
            "ELIG-TRAINING-002",
            "proceed_with_precautions",
        ),
        (practitioner(credential={**CURRENT, "hours": 5}, region="KS"), None, "proceed"),
        (practitioner(region="ab", country="ca"), None, "proceed"),
    ],
)
def test_practitioner_eligibility(context, rule_id, decision):
    result = screen(answered(), PLAN, practitioner=context)
    ids = [finding.rule_id for finding in result.findings]
    assert ids == ([] if rule_id is None else [rule_id])
    assert result.decision == decision
    for finding in result.findings:
        assert finding.kind == "eligibility"
        assert "{" not in finding.message
        assert finding.facts["as_of"] == context["as_of"]


def test_training_message_names_state_and_hours():
    context = practitioner(credential={**CURRENT, "hours": 20})
    finding = screen({}, PLAN, practitioner=context).findings[0]
    assert finding.message == (
        "Colorado requires 30 hours of dry-needling training before clinical use; 20 are recorded."
    )
    assert finding.facts["practitioner.credential.hours"] == 20


def test_without_practitioner_eligibility_is_not_screened():
    assert screen({}, PLAN).findings == ()


# --- input errors name the field and what is allowed -----------------------------------------


@pytest.mark.parametrize(
    ("payload", "field", "fragment"),
    [
        ({"facts": {"bmi": "low"}, "plan": []}, "facts.bmi", "must be a number from 10 to 90"),
        ({"facts": {"age": 17.5}, "plan": []}, "facts.age", "whole number from 0 to 120"),
        (
            {"facts": {"pregnancy_trimester": 4, "pregnant": True}},
            "facts.pregnancy_trimester",
            "from 1 to 3",
        ),
        ({"facts": {"diabetes": "yes"}}, "facts.diabetes", "true or false"),
        ({"facts": {"needle_fobia": True}}, "facts.needle_fobia", "did you mean 'needle_phobia'"),
        ({"facts": {"lymphoedema_sites": "left arm"}}, "facts.lymphoedema_sites", "list of sites"),
        (
            {"facts": {"lymphoedema_sites": [{"area": "arm", "side": "left"}]}},
            "facts.lymphoedema_sites[0].area",
            "'upper_limb'",
        ),
        (
            {"facts": {"tumour_sites": [{"area": "hip", "side": "up"}]}},
            "facts.tumour_sites[0].side",
            "'midline'",
        ),
        (
            {"facts": {"pregnant": False, "pregnancy_trimester": 2}},
            "facts.pregnancy_trimester",
            "contradicts pregnant",
        ),
        ({"facts": {"height_cm": 170}}, "facts.weight_kg", "give both height_cm and weight_kg"),
        (
            {"facts": {"height_cm": 170, "weight_kg": 3000}},
            "facts.weight_kg",
            "must be a number from 10 to 400",
        ),
        ({"facts": {"height_cm": 250, "weight_kg": 10}}, "facts.weight_kg", "implausible"),
        (
            {"plan": [{"muscle": "upper_trap", "side": "left", "technique": "static"}]},
            "plan[0].muscle",
            "GET /api/v1/muscles",
        ),
        (
            {"plan": [{"muscle": "trapezius_upper", "side": "left", "technique": "static"}]},
            "plan[0].muscle",
            "did you mean 'upper_trapezius'",
        ),
        (
            {"plan": [{"muscle": "piriformis", "side": "midline", "technique": "static"}]},
            "plan[0].side",
            "'left', 'right', 'bilateral'",
        ),
        (
            {"plan": [{"muscle": "piriformis", "side": "left", "technique": "laser"}]},
            "plan[0].technique",
            "'electrical'",
        ),
        ({"plan": [{"muscle": "piriformis", "side": "left"}]}, "plan[0].technique", "is required"),
        (
            {"plan": [{"muscle": "piriformis", "side": "left", "technique": "static", "depth": 3}]},
            "plan[0].depth",
            "allowed fields",
        ),
        ({"plan": [PLAN[0], PLAN[0]]}, "plan[1]", "repeats plan[0]"),
        ({"plan": {"muscle": "piriformis"}}, "plan", "must be a list"),
        (
            {"facts": {}, "plan": [], "patient": 1},
            "patient",
            "allowed fields are 'facts', 'plan', 'practitioner'",
        ),
        (
            {"practitioner": {"credential": {"hours": -1, "completed_on": "2024-01-01"}}},
            "practitioner.credential.hours",
            "0 or more",
        ),
        (
            {"practitioner": {"credential": {"hours": 50, "completed_on": "01/02/2024"}}},
            "practitioner.credential.completed_on",
            "YYYY-MM-DD",
        ),
        (
            {"practitioner": {"jurisdiction": {"country": "US"}}},
            "practitioner.jurisdiction.region",
            "is required",
        ),
        (
            {"practitioner": {"licence": "x"}},
            "practitioner.licence",
            "'credential', 'jurisdiction', 'as_of'",
        ),
        ([], "request", "must be an object"),
    ],
)
def test_bad_input_names_the_field(payload, field, fragment):
    with pytest.raises(ClinicalInputError) as raised:
        screen_request(payload)
    assert raised.value.field == field
    assert fragment in raised.value.message
    assert raised.value.to_dict() == {"field": field, "message": raised.value.message}


def test_screen_and_screen_request_agree():
    facts = {"anticoagulant_therapy": True, "bmi": 21}
    plan = [{"muscle": "rhomboid_major", "side": "left", "technique": "static"}]
    direct = screen(facts, plan, practitioner=practitioner()).to_dict()
    body = screen_request({"facts": facts, "plan": plan, "practitioner": practitioner()}).to_dict()
    assert direct == body


def test_null_facts_are_not_recorded():
    result = screen(answered(needle_phobia=None, bmi=None), PLAN)
    assert (result.decision, result.missing) == ("incomplete", ("needle_phobia",))


def test_bmi_is_computed_from_height_and_weight():
    plan = [{"muscle": "rhomboid_major", "side": "left", "technique": "static"}]
    result = screen({"height_cm": 180, "weight_kg": 58}, plan)
    low_bmi = [f for f in result.muscles[0].findings if f.rule_id == "REGION-PLEURA-LOW-BMI-001"]
    assert low_bmi[0].facts == {"bmi": 17.9, "height_cm": 180.0, "weight_kg": 58.0}
