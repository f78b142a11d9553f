"""Patient-specific risks that stay findings: devices, electrical circuits, pregnancy, bleeding
with deep muscles that cannot be compressed (issue 10 items 5-7; clinical review D5-D7)."""

from __future__ import annotations

from typing import Any

import pytest

from needlerx.clinical.reference import rule_set
from needlerx.clinical.screening import screen
from needlerx.clinical.treatment_rules import required_aftercare
from tests.clinical.screening_helpers import answered


def entry(muscle: str, side: str = "left", technique: str = "static") -> dict[str, str]:
    return {"muscle": muscle, "side": side, "technique": technique}


def rule_ids(muscle_result: dict[str, Any]) -> set[str]:
    return {finding["rule_id"] for finding in muscle_result["findings"]}


def severities(muscle_result: dict[str, Any]) -> set[str]:
    return {finding["severity"] for finding in muscle_result["findings"]}


def test_spinal_cord_stimulator_excludes_static_lumbar_needling_over_it():
    facts = answered(
        bmi=26,
        implanted_electrical_device=True,
        implanted_device_sites=[
            {"area": "lower_back", "side": "midline"},
            {"area": "buttock", "side": "left"},
        ],
    )
    plan = [
        entry("lumbar_multifidus", "bilateral"),
        entry("gluteus_medius", "left"),
        entry("upper_trapezius", "right"),
    ]
    result = screen(facts, plan).to_dict()
    assert [m["allowed"] for m in result["muscles"]] == [False, False, True]
    assert "SITE-IMPLANTED-DEVICE-001" in rule_ids(result["muscles"][0])
    assert "site_exclusion" in severities(result["muscles"][0])
    assert result["decision"] == "proceed_with_precautions"


def test_pacemaker_pocket_excludes_the_pectoral_muscle_on_that_side_only():
    facts = {"implanted_device_sites": [{"area": "chest_wall", "side": "left"}]}
    plan = [entry("pectoralis_major", "left"), entry("pectoralis_major", "right")]
    result = screen(facts, plan).to_dict()
    assert [m["allowed"] for m in result["muscles"]] == [False, True]


def test_bilateral_electrical_pectoralis_minor_is_blocked():
    result = screen({}, [entry("pectoralis_minor", "bilateral", "electrical")]).to_dict()
    assert result["decision"] == "do_not_needle"
    muscle = result["muscles"][0]
    assert not muscle["allowed"]
    assert "TECH-ELECTRICAL-ACROSS-MIDLINE-001" in rule_ids(muscle)
    assert "absolute" in severities(muscle)


def test_bilateral_electrical_low_back_is_not_blocked():
    result = screen({}, [entry("lumbar_multifidus", "bilateral", "electrical")]).to_dict()
    assert result["muscles"][0]["allowed"]


LUMBOPELVIC = [
    "psoas_major",
    "gluteus_medius",
    "gluteus_maximus",
    "piriformis",
    "lumbar_multifidus",
    "quadratus_lumborum",
]


@pytest.mark.parametrize("muscle", LUMBOPELVIC)
def test_first_trimester_excludes_lumbopelvic_and_abdominal_muscles(muscle):
    facts = {"pregnant": True, "pregnancy_trimester": 1}
    result = screen(facts, [entry(muscle), entry("levator_scapulae")]).to_dict()
    assert [m["allowed"] for m in result["muscles"]] == [False, True]
    assert "REGION-PREGNANCY-FIRST-TRIMESTER-001" in rule_ids(result["muscles"][0])


@pytest.mark.parametrize("trimester", [1, 2, 3])
def test_psoas_is_excluded_in_every_trimester(trimester):
    facts = {"pregnant": True, "pregnancy_trimester": trimester}
    result = screen(facts, [entry("psoas_major")]).to_dict()
    assert result["decision"] == "do_not_needle"
    assert "REGION-PREGNANCY-ABDOMINAL-001" in rule_ids(result["muscles"][0])


def test_second_trimester_gluteal_static_is_allowed_electrical_is_blocked():
    facts = {"pregnant": True, "pregnancy_trimester": 2}
    plan = [
        entry("gluteus_medius", "left", "static"),
        entry("gluteus_medius", "right", "electrical"),
    ]
    result = screen(facts, plan).to_dict()
    assert [m["allowed"] for m in result["muscles"]] == [True, False]
    assert "TECH-PREGNANCY-ELECTRICAL-LUMBOPELVIC-001" in rule_ids(result["muscles"][1])


def test_pregnancy_rules_are_marked_for_clinical_sign_off():
    rules = rule_set()
    for rule_id in (
        "REGION-PREGNANCY-FIRST-TRIMESTER-001",
        "REGION-PREGNANCY-ABDOMINAL-001",
        "TECH-PREGNANCY-ELECTRICAL-LUMBOPELVIC-001",
        "REGION-NONCOMPRESSIBLE-BLEEDING-001",
        "SITE-IMPLANTED-DEVICE-001",
    ):
        assert rules.rule(rule_id).source.confidence == "unconfirmed", rule_id


@pytest.mark.parametrize("fact", ["anticoagulant_therapy", "bleeding_disorder"])
@pytest.mark.parametrize(
    "muscle",
    [
        "psoas_major",
        "quadratus_lumborum",
        "cervical_multifidus",
        "obliquus_capitis_inferior",
        "anterior_scalene",
    ],
)
def test_anticoagulant_or_bleeding_disorder_excludes_a_deep_non_compressible_muscle(fact, muscle):
    result = screen({fact: True}, [entry(muscle), entry("gluteus_medius")]).to_dict()
    assert [m["allowed"] for m in result["muscles"]] == [False, True]
    finding = next(
        f
        for f in result["muscles"][0]["findings"]
        if f["rule_id"] == "REGION-NONCOMPRESSIBLE-BLEEDING-001"
    )
    assert finding["severity"] == "site_exclusion"
    assert "retroperitoneal" in finding["message"] and "epidural" in finding["message"]
    assert "Munoz" in finding["source"]


def test_antiplatelet_alone_with_a_deep_muscle_is_relative_not_an_exclusion():
    result = screen({"antiplatelet_therapy": True}, [entry("quadratus_lumborum")]).to_dict()
    muscle = result["muscles"][0]
    assert muscle["allowed"]
    assert "REGION-NONCOMPRESSIBLE-ANTIPLATELET-001" in rule_ids(muscle)
    assert "site_exclusion" not in severities(muscle)


def test_electrical_stimulation_requires_the_electrode_skin_advice():
    advice = {a.id for a in required_aftercare([("gluteus_medius", "electrical")])}
    assert "electrical_skin" in advice
    assert "electrical_skin" not in {
        a.id for a in required_aftercare([("gluteus_medius", "static")])
    }
