"""The alert-burden targets of issue 10, measured over the routine caseload, and the table in
docs/clinical-content.md kept equal to what the script prints."""

from __future__ import annotations

from pathlib import Path

from needlerx.clinical.alert_burden import load_profiles, markdown, screen_profile, targets

DOC = Path(__file__).resolve().parents[2] / "docs" / "clinical-content.md"


def test_the_caseload_has_at_least_twenty_neck_and_back_profiles():
    profiles = load_profiles()
    assert len(profiles) >= 20
    assert {p.id[0] for p in profiles} == {"N", "L"}


def test_routine_plans_of_healthy_adults_proceed_and_the_median_asks_at_most_one_rationale():
    burdens = [screen_profile(profile) for profile in load_profiles()]
    summary = targets(burdens)
    assert summary["routine_proceed"] == summary["routine"]
    assert summary["median_rationale_findings"] <= 1


def test_patient_specific_risks_still_ask_for_a_rationale():
    burdens = {b.profile.id: b for b in map(screen_profile, load_profiles())}
    assert "Anticoagulant therapy" in burdens["N8"].rationale_findings
    assert burdens["L4"].result.decision == "proceed_with_precautions"  # pregnancy


def test_the_documented_table_is_what_the_script_prints():
    table = markdown(screen_profile(profile) for profile in load_profiles())
    assert table in DOC.read_text(), "run python -m needlerx.clinical.alert_burden and paste it"
