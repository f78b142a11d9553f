"""Anatomy that applies to everyone is technique guidance on each planned muscle, not a finding
(issue 10, "Crying wolf"; clinical review N1-N4, W1, W2, W14)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from needlerx import clinical
from needlerx.clinical.reference import muscle_catalogue, technique_guidance
from needlerx.clinical.screening import screen
from needlerx.clinical.treatment_rules import required_aftercare
from tests.clinical.screening_helpers import answered

DATA = Path(clinical.__file__).resolve().parent / "data"

# Every required answer given explicitly, all "no" (a healthy adult).
HEALTHY_ADULT: dict[str, Any] = answered(age=38, bmi=26, implanted_device_sites=[])


def plan(*entries: tuple[str, str, str]) -> list[dict[str, str]]:
    return [{"muscle": m, "side": s, "technique": t} for m, s, t in entries]


ROUTINE_NECK = plan(
    ("upper_trapezius", "bilateral", "static"), ("levator_scapulae", "bilateral", "static")
)
ROUTINE_LOW_BACK = plan(
    ("lumbar_multifidus", "bilateral", "static"),
    ("lumbar_erector_spinae", "bilateral", "static"),
    ("gluteus_medius", "bilateral", "static"),
)


@pytest.mark.parametrize(
    "routine", [ROUTINE_NECK, ROUTINE_LOW_BACK], ids=["neck plan", "low-back plan"]
)
def test_a_healthy_adult_with_a_routine_plan_proceeds_with_no_findings(routine):
    result = screen(HEALTHY_ADULT, routine).to_dict()
    assert result["decision"] == "proceed"
    assert result["findings"] == []
    assert all(muscle["findings"] == [] for muscle in result["muscles"])
    assert all(muscle["guidance"] for muscle in result["muscles"])


def test_pleura_is_guidance_on_the_neck_plan_not_a_finding():
    result = screen(HEALTHY_ADULT, ROUTINE_NECK).to_dict()
    for muscle in result["muscles"]:
        ids = [item["id"] for item in muscle["guidance"]]
        assert "GUIDE-PLEURA-001" in ids
        item = muscle["guidance"][ids.index("GUIDE-PLEURA-001")]
        assert set(item) == {
            "id",
            "title",
            "message",
            "actions",
            "source",
            "source_url",
            "source_confidence",
        }
        assert item["actions"] and item["source"]


def test_lumbar_erector_spinae_at_l4_is_not_over_the_lung():
    lumbar = muscle_catalogue()["lumbar_erector_spinae"]
    assert "pleura" not in lumbar.structures
    assert "pleura" not in muscle_catalogue()["quadratus_lumborum"].structures
    facts = {**HEALTHY_ADULT, "bmi": 19}
    result = screen(facts, plan(("lumbar_erector_spinae", "bilateral", "static"))).to_dict()
    muscle = result["muscles"][0]
    assert muscle["findings"] == []  # no low-BMI thorax finding, no both-sides finding
    assert "GUIDE-PLEURA-001" not in {item["id"] for item in muscle["guidance"]}
    needled = [("lumbar_erector_spinae", "static"), ("quadratus_lumborum", "static")]
    assert "pneumothorax_safety_net" not in {a.id for a in required_aftercare(needled)}


def test_upper_lumbar_erector_spinae_keeps_the_lung_and_the_safety_net():
    result = screen({"bmi": 17}, plan(("upper_lumbar_erector_spinae", "left", "static")))
    muscle = result.to_dict()["muscles"][0]
    assert "GUIDE-PLEURA-001" in {item["id"] for item in muscle["guidance"]}
    assert "REGION-PLEURA-LOW-BMI-001" in {f["rule_id"] for f in muscle["findings"]}
    needled = [("upper_lumbar_erector_spinae", "static")]
    assert "pneumothorax_safety_net" in {a.id for a in required_aftercare(needled)}


def test_kidney_guidance_is_specific_to_each_muscle():
    result = screen(
        HEALTHY_ADULT,
        plan(
            ("quadratus_lumborum", "left", "static"),
            ("psoas_major", "left", "static"),
            ("upper_lumbar_erector_spinae", "left", "static"),
        ),
    ).to_dict()
    ids = [{item["id"] for item in muscle["guidance"]} for muscle in result["muscles"]]
    assert "GUIDE-KIDNEY-QUADRATUS-LUMBORUM-001" in ids[0]
    assert "GUIDE-KIDNEY-PARASPINAL-001" not in ids[0] | ids[1]
    assert "GUIDE-PSOAS-001" in ids[1]
    assert "GUIDE-KIDNEY-PARASPINAL-001" in ids[2]
    quadratus = next(
        item
        for item in result["muscles"][0]["guidance"]
        if item["id"] == "GUIDE-KIDNEY-QUADRATUS-LUMBORUM-001"
    )
    assert "side-lying" in " ".join(quadratus["actions"])
    assert "25 mm" not in " ".join(quadratus["actions"])


def test_a_large_lumbar_multifidus_patient_gets_placement_guidance_not_a_finding():
    result = screen({**HEALTHY_ADULT, "bmi": 33}, plan(("lumbar_multifidus", "left", "static")))
    muscle = result.to_dict()["muscles"][0]
    assert result.decision == "proceed"
    assert "GUIDE-LUMBAR-PLACEMENT-001" in {item["id"] for item in muscle["guidance"]}


def test_both_sides_of_the_thorax_is_only_for_the_thoracic_wall():
    neck = screen({}, ROUTINE_NECK).to_dict()
    assert all(m["findings"] == [] for m in neck["muscles"])
    interscapular = screen({}, plan(("rhomboid_major", "bilateral", "static"))).to_dict()
    fired = {f["rule_id"] for f in interscapular["muscles"][0]["findings"]}
    assert "REGION-PLEURA-BOTH-SIDES-001" in fired


GUIDANCE_CASES = [
    pytest.param(item, muscle, shown, id=f"{item.id}: {muscle}")
    for item in technique_guidance()
    for muscle, shown in [(m, True) for m in item.shown_for]
    + [(m, False) for m in item.not_shown_for]
]


@pytest.mark.parametrize(("item", "muscle", "shown"), GUIDANCE_CASES)
def test_guidance_case(item, muscle, shown):
    result = screen({}, plan((muscle, "left", "static"))).to_dict()
    ids = {guidance["id"] for guidance in result["muscles"][0]["guidance"]}
    assert (item.id in ids) == shown


def test_guidance_never_changes_the_decision():
    """Every muscle alone, healthy adult: no finding comes from anatomy alone."""
    for muscle in muscle_catalogue():
        result = screen(HEALTHY_ADULT, plan((muscle, "left", "static")))
        assert result.decision == "proceed", muscle


def test_new_muscles_and_structures_are_in_the_catalogue():
    catalogue = muscle_catalogue()
    for muscle in ("serratus_anterior", "pectoralis_major", "teres_major", "intercostals"):
        assert "pleura" in catalogue[muscle].structures, muscle
    assert {"phrenic_nerve", "subclavian_artery"} <= catalogue["anterior_scalene"].structures
    for muscle in ("cervical_multifidus", "semispinalis_capitis", "semispinalis_cervicis"):
        assert "vertebral_artery" in catalogue[muscle].structures
    for muscle in ("gluteus_medius", "gluteus_minimus"):
        assert "superior_gluteal_neurovascular_bundle" in catalogue[muscle].structures


OWNED_DATA = [
    "muscles.yaml",
    "guidance.yaml",
    "electrical_circuits.yaml",
    "aftercare.yaml",
    "rules/regional.yaml",
    "rules/sites.yaml",
    "rules/techniques.yaml",
    "rules/thresholds.yaml",
]


@pytest.mark.parametrize("name", OWNED_DATA)
def test_data_cites_primary_sources_not_files_outside_the_repository(name):
    text = (DATA / name).read_text(encoding="utf-8")
    assert "dn-safety" not in text
    assert "reference/" not in text
    assert "about 5 mm" not in text  # the low-quality physilife figure (C4)
