"""Electrode pairs across the chest, thorax or head are blocked (issue 10 item 7; review D7)."""

from __future__ import annotations

import pytest

from needlerx.clinical.electrical_circuits import circuit_crosses_protected_region, circuit_rules
from needlerx.clinical.errors import ClinicalInputError
from needlerx.clinical.reference import rule_set


@pytest.mark.parametrize(
    ("pair", "fragment"),
    [
        (("pectoralis_minor", "left", "pectoralis_minor", "right"), "midline"),
        (("rhomboid_major", "left", "rhomboid_major", "right"), "midline"),
        (("obliquus_capitis_inferior", "left", "obliquus_capitis_inferior", "right"), "midline"),
        (("upper_trapezius", "bilateral", "upper_trapezius", "bilateral"), "midline"),
        (("pectoralis_major", "left", "rhomboid_major", "left"), "through the chest"),
        (("rhomboid_major", "right", "pectoralis_minor", "right"), "through the chest"),
    ],
)
def test_circuits_across_the_chest_thorax_or_head_are_blocked(pair, fragment):
    reason = circuit_crosses_protected_region(*pair)
    assert reason is not None and fragment in reason


@pytest.mark.parametrize(
    "pair",
    [
        ("lumbar_multifidus", "left", "lumbar_multifidus", "right"),
        ("gluteus_medius", "left", "gluteus_maximus", "right"),
        ("upper_trapezius", "left", "levator_scapulae", "left"),
        ("rhomboid_major", "left", "middle_trapezius", "left"),
        ("latissimus_dorsi", "left", "rhomboid_major", "left"),
    ],
)
def test_one_sided_or_low_back_circuits_are_allowed(pair):
    assert circuit_crosses_protected_region(*pair) is None


def test_bad_input_names_the_field():
    with pytest.raises(ClinicalInputError, match="second_muscle"):
        circuit_crosses_protected_region("upper_trapezius", "left", "big_toe", "left")
    with pytest.raises(ClinicalInputError, match="first_side"):
        circuit_crosses_protected_region("upper_trapezius", "up", "upper_trapezius", "left")


def test_the_screen_rule_and_the_circuit_data_list_the_same_areas():
    rule = rule_set().rule("TECH-ELECTRICAL-ACROSS-MIDLINE-001")
    assert rule.applies_to is not None
    assert set(rule.applies_to.areas) == set(circuit_rules().protected_midline_areas)
