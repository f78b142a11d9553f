"""The treatment data files load, carry sources, and a malformed file fails loudly."""

from __future__ import annotations

import pytest
import yaml

from needlerx.clinical.errors import ClinicalInputError, ReferenceDataError
from needlerx.clinical.reference import loader
from needlerx.clinical.treatment_reference import (
    ExerciseLibrary,
    adverse_event_reference,
    aftercare_reference,
    billing_reference,
    consent_template_current,
    consent_templates,
    exercise_library,
    load_treatment_reference,
)
from needlerx.clinical.treatment_rules import (
    billing_suggestion,
    follow_up_status,
    required_aftercare,
    validate_adverse_event,
)


def test_every_treatment_data_file_loads():
    load_treatment_reference()


def test_the_library_has_at_least_30_neck_and_back_exercises_with_dosage_and_source():
    library = exercise_library()
    assert len(library.exercises) >= 30
    regions = {region for exercise in library.exercises for region in exercise.regions}
    assert {"cervical", "thoracic", "lumbar"} <= regions
    assert all(e.dosage.sets >= 1 and e.source.citation for e in library.exercises)


def test_the_general_consent_covers_the_risks_the_issue_names():
    template = consent_template_current("dry_needling_general")
    assert template is not None
    text = " ".join(section.text for section in template.sections).lower()
    for risk in (
        "bruising",
        "bleeding",
        "soreness",
        "faint",
        "infection",
        "nerve",
        "pneumothorax",
        "two days",
        "withdraw",
        "training",
    ):
        assert risk in text, risk
    assert set(template.covers_techniques) == {"static", "pistoning", "superficial"}
    assert ("electrical_stimulation", 1) in consent_templates()


def test_adverse_event_scale_types_and_follow_up_window():
    reference = adverse_event_reference()
    assert [s.id for s in reference.severities] == ["mild", "significant", "serious"]
    assert {t.id for t in reference.types} >= {
        "bruising",
        "bleeding",
        "pain_during",
        "pain_after",
        "aggravation",
        "drowsiness",
        "headache",
        "nausea",
        "fatigue",
        "fainting",
        "pneumothorax",
        "nerve_injury",
        "infection",
        "retained_or_broken_needle",
        "other",
    }
    assert (reference.follow_up.due_after_hours, reference.follow_up.due_before_hours) == (24, 72)
    with pytest.raises(ClinicalInputError) as refused:
        validate_adverse_event("sunburn", "mild")
    assert refused.value.field == "event_type"


def test_billing_counts_muscles_not_insertions_or_entries():
    """Worked examples of the counting rule are in tests/clinical/test_billing.py."""
    assert billing_reference().codes[0].label == "Dry needling, 1 or 2 muscles"
    assert billing_suggestion([], []).code is None
    five_entries = [("upper_trapezius", "left")] * 5
    assert billing_suggestion(five_entries, ["M54.2"]).distinct_muscles == ("trapezius:left",)
    assert billing_suggestion([("piriformis", "left"), ("psoas_major", "left")], []).code == "20560"
    three = [("piriformis", "left"), ("psoas_major", "left"), ("gluteus_medius", "left")]
    assert billing_suggestion(three, []).code == "20561"


def test_pneumothorax_advice_is_required_after_needling_over_the_pleura_only():
    assert "pneumothorax_safety_net" in {
        a.id for a in required_aftercare([("rhomboid_major", "static")])
    }
    assert "pneumothorax_safety_net" not in {
        a.id for a in required_aftercare([("gluteus_medius", "static")])
    }
    assert required_aftercare([]) == []
    assert aftercare_reference().item("pneumothorax_safety_net") is not None


def test_follow_up_status_follows_the_window():
    import datetime as dt

    start = dt.datetime(2026, 1, 1, 9, tzinfo=dt.UTC)
    assert follow_up_status(start, start + dt.timedelta(hours=23)) == "not_yet_due"
    assert follow_up_status(start, start + dt.timedelta(hours=24)) == "due"
    assert follow_up_status(start, start + dt.timedelta(hours=73)) == "overdue"


def test_an_unknown_field_or_tag_in_the_exercise_file_fails_loudly(tmp_path):
    document = yaml.safe_load((loader.DATA_DIR / "exercises.yaml").read_text())
    document["exercises"][0]["colour"] = "red"
    with pytest.raises(ReferenceDataError, match=r"exercises\[0\] \(chin_tuck_supine\)\.colour"):
        loader.load_model(ExerciseLibrary, tmp_path / "exercises.yaml", document)
    document["exercises"][0].pop("colour")
    document["exercises"] = document["exercises"][:5]
    with pytest.raises(ReferenceDataError, match="at least 30"):
        loader.load_model(ExerciseLibrary, tmp_path / "exercises.yaml", document)
