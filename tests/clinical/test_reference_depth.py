"""Reference depth: the deepest depth studied without reaching the structure, in which population,
most conservative of the sources, per muscle and BMI (issue 10 item 4; clinical review D2, D3)."""

from __future__ import annotations

import pytest

from needlerx.clinical.reference import muscle_catalogue
from needlerx.clinical.reference_depth import reference_depth_for
from needlerx.clinical.screening import screen
from needlerx.clinical.treatment_rules import depth_warning


def test_middle_trapezius_at_bmi_19_falls_back_to_the_thorax_figure():
    depth = reference_depth_for("middle_trapezius", 19)
    assert depth is not None
    assert depth.fallback
    assert depth.mm == 17  # Lee 2014, BMI under 23
    assert "Korean" in depth.population
    warning = depth_warning("middle_trapezius", 60, 19)
    assert warning is not None
    assert warning.reference_depth_mm == 17
    assert "17 mm" in warning.message and "BMI 19" in warning.message


def test_obliquus_capitis_inferior_at_55_mm_warns():
    warning = depth_warning("obliquus_capitis_inferior", 55, None)
    assert warning is not None
    assert warning.reference_depth_mm == 40
    assert "2020;45:102075" in warning.reference_depth.source.citation
    assert depth_warning("obliquus_capitis_inferior", 38, None) is None


@pytest.mark.parametrize(
    ("bmi", "mm"),
    [(20, 17), (24, 15), (27, 19), (None, 15)],
    ids=["BMI 20: Lee band", "BMI 24: lower bound 15", "BMI 27: Valera-Calero 19", "unknown"],
)
def test_rhomboid_major_takes_the_most_conservative_source_for_the_bmi(bmi, mm):
    depth = reference_depth_for("rhomboid_major", bmi)
    assert depth is not None
    assert (depth.mm, depth.fallback, depth.bmi) == (mm, False, bmi)


def test_upper_trapezius_takes_the_conservative_cadaver_figure():
    depth = reference_depth_for("upper_trapezius", 17)
    assert depth is not None and depth.mm == 30 and not depth.fallback
    assert "elderly" in depth.population
    assert depth_warning("upper_trapezius", 31, 17) is not None


@pytest.mark.parametrize(
    ("muscle", "depth_mm"),
    [
        ("lower_trapezius", 50),
        ("anterior_scalene", 40),
        ("serratus_posterior_superior", 40),
        ("thoracic_erector_spinae", 60),
        ("cervical_multifidus", 60),
        ("serratus_anterior", 30),
    ],
)
def test_unstudied_muscles_over_the_lung_or_near_the_cord_now_warn(muscle, depth_mm):
    """Clinical review D2: every one of these gave no warning."""
    warning = depth_warning(muscle, depth_mm, 19)
    assert warning is not None
    assert warning.reference_depth.fallback


def test_muscles_away_from_lung_and_cord_have_no_reference_depth():
    for muscle in ("gluteus_medius", "lumbar_erector_spinae", "quadratus_lumborum"):
        assert reference_depth_for(muscle, 25) is None
        assert depth_warning(muscle, 80, 25) is None


def test_every_muscle_over_the_lung_or_near_the_cord_has_a_reference_depth():
    for muscle in muscle_catalogue().values():
        if muscle.structures & {"pleura", "spinal_cord"}:
            assert reference_depth_for(muscle.id, None) is not None, muscle.id


def test_the_screen_shows_the_reference_depth_with_the_patients_bmi():
    plan = [
        {"muscle": "middle_trapezius", "side": "left", "technique": "static"},
        {"muscle": "gluteus_medius", "side": "left", "technique": "static"},
    ]
    result = screen({"height_cm": 170, "weight_kg": 55}, plan).to_dict()
    shown = result["muscles"][0]["reference_depth"]
    assert set(shown) >= {
        "mm",
        "basis",
        "population",
        "source",
        "source_confidence",
        "fallback",
        "bmi",
    }
    assert shown["bmi"] == 19.0
    assert shown["mm"] == 17 and shown["fallback"] is True
    assert result["muscles"][1]["reference_depth"] is None


def test_the_warning_records_the_reference_depth_under_both_names():
    warning = depth_warning("upper_trapezius", 35, None)
    assert warning is not None
    stored = warning.to_dict()
    assert stored["reference_depth_mm"] == stored["safe_depth_mm"] == 30
    assert stored["reference_depth"]["fallback"] is False
