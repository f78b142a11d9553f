"""Reference data: it loads, it covers the vocabulary, and malformed data fails loudly."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from needlerx.clinical.errors import ReferenceDataError
from needlerx.clinical.reference import (
    AREAS,
    fact_catalogue,
    fact_types,
    jurisdictions,
    load_all,
    muscle_catalogue,
    red_flag_document,
    red_flags,
    rule_set,
    ruleset_fingerprint,
    ruleset_version,
)
from needlerx.clinical.reference import catalogue as catalogue_module
from needlerx.clinical.reference.loader import load_model
from needlerx.clinical.reference.rule_schemas import RuleFile, condition_facts
from needlerx.clinical.reference.schemas import MusclesFile

# The public muscle ids clients and stored records use; the catalogue may add more, never fewer.
VOCABULARY_MUSCLES = {
    "upper_trapezius": "cervical",
    "middle_trapezius": "thoracic",
    "lower_trapezius": "thoracic",
    "levator_scapulae": "cervical",
    "splenius_capitis": "cervical",
    "splenius_cervicis": "cervical",
    "semispinalis_capitis": "cervical",
    "semispinalis_cervicis": "cervical",
    "cervical_multifidus": "cervical",
    "rectus_capitis_posterior_major": "cervical",
    "obliquus_capitis_inferior": "cervical",
    "sternocleidomastoid": "cervical",
    "anterior_scalene": "cervical",
    "middle_scalene": "cervical",
    "posterior_scalene": "cervical",
    "rhomboid_major": "thoracic",
    "rhomboid_minor": "thoracic",
    "serratus_posterior_superior": "thoracic",
    "serratus_posterior_inferior": "thoracic",
    "thoracic_erector_spinae": "thoracic",
    "thoracic_multifidus": "thoracic",
    "infraspinatus": "shoulder",
    "supraspinatus": "shoulder",
    "latissimus_dorsi": "thoracic",
    "pectoralis_minor": "thoracic",
    "lumbar_multifidus": "lumbar",
    "lumbar_erector_spinae": "lumbar",
    "quadratus_lumborum": "lumbar",
    "psoas_major": "lumbar",
    "gluteus_maximus": "gluteal",
    "gluteus_medius": "gluteal",
    "gluteus_minimus": "gluteal",
    "piriformis": "gluteal",
}
VOCABULARY_FACTS = {
    "needle_phobia": "boolean",
    "declines_needling": "boolean",
    "unable_to_consent": "boolean",
    "acute_medical_emergency": "boolean",
    "bleeding_disorder": "boolean",
    "anticoagulant_therapy": "boolean",
    "antiplatelet_therapy": "boolean",
    "immunocompromised": "boolean",
    "vascular_disease": "boolean",
    "diabetes": "boolean",
    "pregnant": "boolean",
    "pregnancy_trimester": "integer",
    "age": "integer",
    "frail": "boolean",
    "epilepsy": "boolean",
    "epilepsy_uncontrolled": "boolean",
    "psychological_concern": "boolean",
    "metal_allergy": "boolean",
    "vasovagal_history": "boolean",
    "previous_needling_reaction": "boolean",
    "implanted_electrical_device": "boolean",
    "altered_thoracic_anatomy": "boolean",
    "bmi": "number",
    "height_cm": "number",
    "weight_kg": "number",
    "lymphoedema_sites": "sites",
    "skin_lesion_or_infection_sites": "sites",
    "recent_surgery_sites": "sites",
    "tumour_sites": "sites",
    # added for the safety review
    "inr": "number",
    "inr_date": "date",
    "medically_cleared_red_flags": "fact_ids",
    "history_of_cancer": "boolean",
    "unexplained_weight_loss": "boolean",
    "night_pain": "boolean",
    "fever": "boolean",
    "long_term_corticosteroids": "boolean",
    "osteoporosis": "boolean",
    "recent_major_trauma": "boolean",
}
VOCABULARY_RED_FLAGS = {
    "cervical_myelopathy_signs",
    "cervical_arterial_dysfunction_signs",
    "upper_cervical_instability_signs",
    "suspected_fracture",
    "suspected_malignancy",
    "suspected_infection",
    "cauda_equina_signs",
    "progressive_neurological_deficit",
    "suspected_aaa",
    "cardiac_or_visceral_referral_signs",
}


def test_every_data_file_loads_and_cross_checks():
    load_all()


def test_catalogue_has_every_vocabulary_muscle_in_its_region():
    catalogue = muscle_catalogue()
    for muscle_id, region in VOCABULARY_MUSCLES.items():
        assert muscle_id in catalogue, muscle_id
        assert catalogue[muscle_id].region == region, muscle_id


def test_every_muscle_lies_in_known_areas_and_names_its_sources():
    for muscle in muscle_catalogue().values():
        assert muscle.areas and set(muscle.areas) <= set(AREAS)
        assert muscle.referred_pain.source.citation
        for risk in muscle.structures_at_risk:
            assert risk.source.citation, (muscle.id, risk.structure)


def test_fact_catalogue_accepts_every_vocabulary_fact_with_its_type():
    types = fact_types()
    for fact_id, kind in VOCABULARY_FACTS.items():
        assert types[fact_id] == kind, fact_id
    for fact_id in VOCABULARY_RED_FLAGS:
        assert types[fact_id] == "boolean"
        assert fact_catalogue()[fact_id].group == "red_flag"


def test_every_red_flag_fact_has_one_red_flag_with_urgency_and_action():
    flags = {flag.fact: flag for flag in red_flags()}
    assert set(flags) == VOCABULARY_RED_FLAGS
    for flag in flags.values():
        assert flag.urgency in ("emergency", "urgent")
        assert flag.actions


def test_every_fact_is_used_by_a_rule_red_flag_or_bmi():
    used = {flag.fact for flag in red_flags()}
    document = red_flag_document()
    for combination in document.combinations:
        used |= combination.reads
    used |= {escalation.unless_answered_no for escalation in document.escalations}
    for rule in rule_set().rules:
        used |= condition_facts(rule.when) | set(rule.context_facts)
    for fact in fact_catalogue().values():
        used |= set(fact.derived_from) | ({fact.implies} if fact.implies else set())
        if fact.choices_from_group == "red_flag":
            used.add(fact.id)  # the medically cleared list, read by the red-flag screen
    assert set(fact_catalogue()) - used == set()


def test_every_threshold_is_used_and_sourced():
    rules = rule_set()
    text = " ".join(rule.model_dump_json() for rule in rules.rules)
    for name, threshold in rules.thresholds.items():
        assert f'"{name}"' in text, f"threshold {name} is never used"
        assert threshold.source.citation


def test_unconfirmed_marks_are_carried_into_the_data():
    confidences = {rule.source.confidence for rule in rule_set().rules}
    assert confidences == {"confirmed", "secondary", "unconfirmed"}
    assert all(flag.source.confidence == "unconfirmed" for flag in red_flags())
    scalene = muscle_catalogue()["anterior_scalene"]
    assert {risk.source.confidence for risk in scalene.structures_at_risk} == {"unconfirmed"}


def test_published_depth_data_is_encoded():
    catalogue = muscle_catalogue()
    trapezius = catalogue["upper_trapezius"]
    assert min(figure.mm for figure in trapezius.reference_depths) == 30
    assert any("Kearns" in figure.source.citation for figure in trapezius.reference_depths)
    rhomboid = {
        (f.bmi_from, f.bmi_below): f.mm for f in catalogue["rhomboid_major"].reference_depths
    }
    assert rhomboid[(None, 23)] == 17
    assert rhomboid[(23, 25)] == 15  # Lee 2014: rib 24 +/- 9 mm, lower bound 15 mm
    assert rhomboid[(25, None)] == 22
    assert rhomboid[(None, None)] == 19  # Valera-Calero
    assert catalogue["rectus_capitis_posterior_major"].safe_depth_mm == 40
    assert catalogue["obliquus_capitis_inferior"].safe_depth_mm == 40
    assert catalogue["quadratus_lumborum"].reference_depths == []
    assert {"spinal_cord"} <= catalogue["obliquus_capitis_inferior"].structures


def test_jurisdictions_follow_the_january_2026_table():
    entries = [e for e in jurisdictions().entries if e.country == "US"]
    statuses = [entry.status for entry in entries]
    assert (statuses.count("allowed"), statuses.count("silent")) == (40, 7)
    assert {e.region for e in entries if e.status == "not_permitted"} == {"CA", "HI", "NY", "OR"}
    colorado = jurisdictions().find("us", "co")
    assert colorado is not None and colorado.training is not None
    assert (colorado.training.hours_before_clinical_use, colorado.training.total_hours) == (30, 50)
    assert jurisdictions().find("US", "ZZ") is None


def test_ruleset_version_and_fingerprint():
    assert re.fullmatch(r"\d{4}\.\d{1,2}\.\d+", ruleset_version())
    assert re.fullmatch(r"[0-9a-f]{64}", ruleset_fingerprint())


# --- malformed data fails loudly, naming the file and the location ---------------------------

GOOD_MUSCLE = """
muscles:
  - id: test_muscle
    name: Test
    region: lumbar
    areas: [lower_back]
    sided: true
    referred_pain: {text: somewhere, source: {citation: a book}}
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_a_valid_muscle_file_loads(tmp_path):
    assert load_model(MusclesFile, write(tmp_path, "muscles.yaml", GOOD_MUSCLE)).muscles


@pytest.mark.parametrize(
    ("change", "location"),
    [
        (("sided: true", "sided: true\n    colour: red"), "muscles[0] (test_muscle).colour"),
        (("areas: [lower_back]", "areas: [lower_leg]"), "muscles[0] (test_muscle).areas[0]"),
        (("region: lumbar", "region: sacral"), "muscles[0] (test_muscle).region"),
        (
            (
                "sided: true",
                "sided: true\n    structures_at_risk:\n"
                "      - {structure: lung, note: x, source: {citation: y}}",
            ),
            "structures_at_risk[0].structure",
        ),
        (("{citation: a book}", "{citation: a book, confidence: likely}"), "confidence"),
    ],
)
def test_malformed_muscle_data_names_file_and_location(tmp_path, change, location):
    path = write(tmp_path, "muscles.yaml", GOOD_MUSCLE.replace(*change))
    with pytest.raises(ReferenceDataError) as raised:
        load_model(MusclesFile, path)
    assert "muscles.yaml" in str(raised.value)
    assert location in str(raised.value)


GOOD_RULE = """
thresholds:
  some_limit: {value: 1, unit: x, meaning: y, source: {citation: z}}
rules:
  - id: TEST-RULE-001
    title: Test
    severity: relative
    scope: patient
    reads: [diabetes]
    when: {fact: diabetes}
    message: m
    actions: [a]
    source: {citation: c}
    cases:
      - {name: fires, facts: {diabetes: true}, expect: fires}
      - {name: silent, facts: {}, expect: silent}
"""


def load_rules_from(tmp_path: Path, monkeypatch, text: str):
    rules_dir = tmp_path / "rules"
    rules_dir.mkdir()
    write(rules_dir, "test.yaml", text)
    monkeypatch.setattr(catalogue_module, "RULES_DIR", rules_dir)
    return catalogue_module.rule_set.__wrapped__()


def test_a_valid_rule_file_loads(tmp_path, monkeypatch):
    assert load_rules_from(tmp_path, monkeypatch, GOOD_RULE).rule("TEST-RULE-001")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("severity: relative", "severity: serious"), "rules[0] (TEST-RULE-001).severity"),
        (("title: Test", "title: Test\n    owner: me"), "rules[0] (TEST-RULE-001).owner"),
        (
            (
                "reads: [diabetes]\n    when: {fact: diabetes}",
                "reads: [diabetic]\n    when: {fact: diabetic}",
            ),
            "unknown fact 'diabetic'",
        ),
        (("reads: [diabetes]", "reads: [diabetes, frail]"), "'reads' must list exactly"),
        (
            (
                "reads: [diabetes]\n    when: {fact: diabetes}",
                "reads: [age]\n    when: {fact: age}",
            ),
            "fact 'age' is integer",
        ),
        (
            (
                "reads: [diabetes]\n    when: {fact: diabetes}",
                "reads: [bmi]\n    when: {fact: bmi, below: thin}",
            ),
            "unknown threshold 'thin'",
        ),
        (("expect: silent", "expect: fires"), "one that stays silent"),
        (
            ("scope: patient", "scope: muscle\n    applies_to: {muscles: [big_toe]}"),
            "unknown muscle 'big_toe'",
        ),
        (
            ("scope: patient", "scope: patient\n    applies_to: {techniques: [electrical]}"),
            "patient-level rule cannot filter",
        ),
        (("id: TEST-RULE-001", "id: RF-CAUDA-EQUINA-001"), "duplicate rule id"),
        (("severity: relative", "severity: site_exclusion"), "site exclusion is a muscle-level"),
    ],
)
def test_malformed_rules_fail_loudly(tmp_path, monkeypatch, change, expected):
    with pytest.raises(ReferenceDataError) as raised:
        load_rules_from(tmp_path, monkeypatch, GOOD_RULE.replace(*change))
    assert "test.yaml" in str(raised.value) or "rules/" in str(raised.value)
    assert expected in str(raised.value)


def test_invalid_yaml_names_the_file(tmp_path):
    path = write(tmp_path, "muscles.yaml", "muscles: [unclosed")
    with pytest.raises(ReferenceDataError, match=r"muscles\.yaml: is not valid YAML"):
        load_model(MusclesFile, path)


def test_rule_file_model_rejects_a_red_flag_severity(tmp_path):
    path = write(
        tmp_path, "rules.yaml", GOOD_RULE.replace("severity: relative", "severity: red_flag")
    )
    with pytest.raises(ReferenceDataError, match=r"red flags belong in red_flags\.yaml"):
        load_model(RuleFile, path)
