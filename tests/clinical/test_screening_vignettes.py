"""Clinical vignettes from the published dry-needling safety literature, with the decision a
careful clinician expects and the result for each planned muscle."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from needlerx.clinical.screening import screen
from tests.clinical.screening_helpers import answered


@dataclass(frozen=True)
class Vignette:
    name: str
    facts: dict[str, Any]
    plan: list[tuple[str, str, str]]
    decision: str
    allowed: list[bool]
    includes: set[str] = field(default_factory=set)
    excludes: set[str] = field(default_factory=set)
    urgency: str | None = None
    practitioner: dict[str, Any] | None = None
    missing: list[str] = field(default_factory=list)
    complete: bool = True  # fill every required answer "no" (answered()) before screening
    as_of: str | None = None
    guidance: set[str] = field(default_factory=set)


BACK_ONLY_FLAGS = ("cauda_equina_signs", "suspected_aaa")
LEFT_CHEST_WALL = [{"area": "chest_wall", "side": "left"}]
CURRENT = {"hours": 60, "completed_on": "2023-05-01", "expires_on": None}


def clinician(region: str, hours: float = 60, expires_on: str | None = None) -> dict[str, Any]:
    credential = {**CURRENT, "hours": hours, "expires_on": expires_on}
    return {
        "credential": credential,
        "jurisdiction": {"country": "US", "region": region},
        "as_of": "2026-11-02",
    }


VIGNETTES = [
    Vignette(
        "healthy adult, gluteus medius",
        {"age": 40, "bmi": 26},
        [("gluteus_medius", "left", "static")],
        "proceed",
        [True],
    ),
    Vignette(
        "healthy adult, gluteus minimus by pistoning",
        {"age": 52},
        [("gluteus_minimus", "right", "pistoning")],
        "proceed",
        [True],
    ),
    Vignette(
        "lumbar multifidus at a lean BMI has no regional warning",
        {"bmi": 22},
        [("lumbar_multifidus", "left", "static")],
        "proceed",
        [True],
        excludes={"REGION-LUMBAR-PLACEMENT-001"},
    ),
    Vignette(
        "upper trapezius carries the pneumothorax guidance, not a finding",
        {"age": 35, "bmi": 26},
        [("upper_trapezius", "right", "static")],
        "proceed",
        [True],
        excludes={"REGION-PLEURA-LOW-BMI-001"},
        guidance={"GUIDE-PLEURA-001"},
    ),
    Vignette(
        "24-year-old lean woman, interscapular needling both sides (Mintken 2025)",
        {"age": 24, "bmi": 19.5},
        [("rhomboid_major", "bilateral", "static"), ("middle_trapezius", "left", "static")],
        "proceed_with_precautions",
        [True, True],
        includes={"REGION-PLEURA-BOTH-SIDES-001"},
        excludes={"REGION-PLEURA-LOW-BMI-001"},  # build carried by the banded reference depth
        guidance={"GUIDE-PLEURA-001"},
    ),
    Vignette(
        "scoliosis and electrical needling of the upper trapezius (NZ HDC 2017)",
        {"altered_thoracic_anatomy": True, "bmi": 24},
        [("upper_trapezius", "left", "electrical")],
        "proceed_with_precautions",
        [True],
        includes={"REGION-PLEURA-ALTERED-ANATOMY-001"},
    ),
    Vignette(
        "lean patient by height and weight, supraspinatus",
        {"height_cm": 165, "weight_kg": 48},
        [("supraspinatus", "left", "static")],
        "proceed_with_precautions",
        [True],
        includes={"REGION-PLEURA-LOW-BMI-001"},
    ),
    Vignette(
        "cauda equina signs with a lumbar plan",
        {"cauda_equina_signs": True},
        [("lumbar_multifidus", "left", "static")],
        "refer",
        [False],
        includes={"RF-CAUDA-EQUINA-001"},
        urgency="emergency",
    ),
    Vignette(
        "suspected aortic aneurysm with quadratus lumborum",
        {"suspected_aaa": True, "age": 71, "bmi": 24},
        [("quadratus_lumborum", "right", "static")],
        "refer",
        [False],
        urgency="emergency",
    ),
    Vignette(
        "cervical myelopathy signs and upper trapezius",
        {"cervical_myelopathy_signs": True, "bmi": 24},
        [("upper_trapezius", "left", "static")],
        "refer",
        [False],
        urgency="urgent",
    ),
    Vignette(
        "suspected fracture and malignancy",
        {"suspected_fracture": True, "suspected_malignancy": True, "bmi": 24},
        [("thoracic_erector_spinae", "left", "static")],
        "refer",
        [False],
        includes={"RF-FRACTURE-001", "RF-MALIGNANCY-001"},
        urgency="urgent",
    ),
    Vignette(
        "arterial dysfunction signs outrank an urgent flag",
        {"cervical_arterial_dysfunction_signs": True, "suspected_infection": True},
        [("splenius_capitis", "left", "static")],
        "refer",
        [False],
        urgency="emergency",
    ),
    Vignette(
        "red flag outranks needle phobia",
        {"needle_phobia": True, "suspected_infection": True},
        [("gluteus_medius", "left", "static")],
        "refer",
        [False],
        includes={"RF-INFECTION-001", "CONTRA-NEEDLE-PHOBIA-001"},
        urgency="urgent",
    ),
    Vignette(
        "needle phobia (do not needle outranks an unanswered BMI)",
        {"needle_phobia": True},
        [("upper_trapezius", "left", "static"), ("gluteus_medius", "left", "static")],
        "do_not_needle",
        [False, False],
        includes={"CONTRA-NEEDLE-PHOBIA-001"},
        missing=["bmi"],
    ),
    Vignette(
        "patient declines needling",
        {"declines_needling": True, "bmi": 24},
        [("lumbar_erector_spinae", "left", "static")],
        "do_not_needle",
        [False],
    ),
    Vignette(
        "dementia, cannot consent",
        {"unable_to_consent": True, "age": 84},
        [("gluteus_maximus", "left", "static")],
        "do_not_needle",
        [False],
    ),
    Vignette(
        "acutely unwell today",
        {"acute_medical_emergency": True, "bmi": 24},
        [("levator_scapulae", "left", "static")],
        "do_not_needle",
        [False],
    ),
    Vignette(
        "left chest-wall lymphoedema after breast cancer: only left chest-wall entries blocked",
        {"lymphoedema_sites": LEFT_CHEST_WALL, "bmi": 24},
        [
            ("pectoralis_minor", "bilateral", "static"),
            ("pectoralis_minor", "right", "static"),
            ("latissimus_dorsi", "left", "static"),
            ("upper_trapezius", "left", "static"),
        ],
        "proceed_with_precautions",
        [False, True, False, True],
        includes={"SITE-LYMPHOEDEMA-001"},
    ),
    Vignette(
        "every planned entry in the lymphoedematous area",
        {"lymphoedema_sites": LEFT_CHEST_WALL, "bmi": 24},
        [("pectoralis_minor", "left", "static")],
        "do_not_needle",
        [False],
    ),
    Vignette(
        "arm lymphoedema does not concern the buttock",
        {"lymphoedema_sites": [{"area": "upper_limb", "side": "left"}]},
        [("gluteus_medius", "left", "static")],
        "proceed",
        [True],
    ),
    Vignette(
        "pacemaker blocks only electrical stimulation",
        {"implanted_electrical_device": True},
        [("gluteus_medius", "left", "static"), ("lumbar_multifidus", "right", "electrical")],
        "proceed_with_precautions",
        [True, False],
        includes={"TECH-IMPLANTED-DEVICE-001"},
    ),
    Vignette(
        "pacemaker and only electrical entries",
        {"implanted_electrical_device": True},
        [("gluteus_medius", "left", "electrical")],
        "do_not_needle",
        [False],
    ),
    Vignette(
        "anticoagulated lean patient, middle trapezius: precautions from both rules",
        {"anticoagulant_therapy": True, "bmi": 18},
        [("middle_trapezius", "left", "static")],
        "proceed_with_precautions",
        [True],
        includes={"CONTRA-ANTICOAGULANT-001", "REGION-PLEURA-LOW-BMI-001"},
    ),
    Vignette(
        "antiplatelet and cervical multifidus: epidural bleeding concern",
        {"antiplatelet_therapy": True},
        [("cervical_multifidus", "right", "static")],
        "proceed_with_precautions",
        [True],
        includes={"CONTRA-ANTIPLATELET-001", "REGION-NONCOMPRESSIBLE-ANTIPLATELET-001"},
        excludes={"REGION-EPIDURAL-BLEEDING-001"},  # one finding for one concern
        guidance={"GUIDE-SPINAL-CORD-001", "GUIDE-VERTEBRAL-ARTERY-001"},
    ),
    Vignette(
        "pregnant, upper trapezius and electrical gluteus medius",
        {"pregnant": True, "pregnancy_trimester": 2, "bmi": 24},
        [("upper_trapezius", "left", "static"), ("gluteus_medius", "left", "electrical")],
        "proceed_with_precautions",
        [True, False],
        includes={
            "CONTRA-PREGNANCY-001",
            "REGION-PREGNANCY-001",
            "TECH-PREGNANCY-ELECTRICAL-001",
            "TECH-PREGNANCY-ELECTRICAL-LUMBOPELVIC-001",
        },
    ),
    Vignette(
        "16-year-old athlete",
        {"age": 16},
        [("gluteus_medius", "right", "static")],
        "proceed_with_precautions",
        [True],
        includes={"CONTRA-CHILD-001"},
    ),
    Vignette(
        "18-year-old is an adult",
        {"age": 18},
        [("gluteus_medius", "right", "static")],
        "proceed",
        [True],
    ),
    Vignette(
        "uncontrolled epilepsy with electrical stimulation warns, does not block",
        {"epilepsy_uncontrolled": True},
        [("lumbar_multifidus", "left", "electrical")],
        "proceed_with_precautions",
        [True],
        includes={"CONTRA-EPILEPSY-001", "TECH-EPILEPSY-ELECTRICAL-001"},
    ),
    Vignette(
        "infected skin on the right low back",
        {"skin_lesion_or_infection_sites": [{"area": "lower_back", "side": "right"}], "bmi": 24},
        [("quadratus_lumborum", "right", "static"), ("quadratus_lumborum", "left", "static")],
        "proceed_with_precautions",
        [False, True],
        includes={"SITE-SKIN-001"},
        guidance={"GUIDE-KIDNEY-QUADRATUS-LUMBORUM-001"},
    ),
    Vignette(
        "suboccipital needling: cord and artery",
        {},
        [("obliquus_capitis_inferior", "bilateral", "static")],
        "proceed",
        [True],
        guidance={"GUIDE-SPINAL-CORD-001", "GUIDE-VERTEBRAL-ARTERY-001"},
    ),
    Vignette(
        "larger patient, deep lumbar multifidus (Wang-Price 2022)",
        {"bmi": 31},
        [("lumbar_multifidus", "right", "static")],
        "proceed",
        [True],
        guidance={"GUIDE-LUMBAR-PLACEMENT-001"},
    ),
    Vignette(
        "piriformis near the sciatic nerve",
        {},
        [("piriformis", "left", "static")],
        "proceed",
        [True],
        guidance={"GUIDE-SCIATIC-NERVE-001"},
    ),
    Vignette(
        "psoas: peritoneum and kidney",
        {},
        [("psoas_major", "left", "static")],
        "proceed",
        [True],
        guidance={"GUIDE-PSOAS-001", "GUIDE-PERITONEUM-001"},
    ),
    Vignette(
        "recent midline lumbar surgery warns on a left paraspinal",
        {"recent_surgery_sites": [{"area": "lower_back", "side": "midline"}], "bmi": 24},
        [("lumbar_erector_spinae", "left", "static")],
        "proceed_with_precautions",
        [True],
        includes={"SITE-RECENT-SURGERY-001"},
    ),
    Vignette(
        "tumour at the left shoulder, right infraspinatus",
        {"tumour_sites": [{"area": "shoulder", "side": "left"}], "bmi": 26},
        [("infraspinatus", "right", "static")],
        "proceed",
        [True],
        excludes={"SITE-TUMOUR-001"},
    ),
    Vignette(
        "fainting history and gluteus maximus",
        {"vasovagal_history": True},
        [("gluteus_maximus", "left", "static")],
        "proceed_with_precautions",
        [True],
        includes={"PREC-VASOVAGAL-001"},
        guidance={"GUIDE-SCIATIC-NERVE-001"},
    ),
    Vignette("self-screen with no plan", {"age": 30}, [], "proceed", []),
    Vignette(
        "self-screen with diabetic neuropathy and no plan",
        {"diabetes_peripheral_neuropathy": True},
        [],
        "proceed_with_precautions",
        [],
        includes={"CONTRA-DIABETES-001"},
    ),
    Vignette(
        "New York physical therapist",
        {},
        [("gluteus_medius", "left", "static")],
        "do_not_needle",
        [False],
        includes={"ELIG-SCOPE-001"},
        practitioner=clinician("NY"),
    ),
    Vignette(
        "Colorado PT part-way through training",
        {},
        [("gluteus_medius", "left", "static")],
        "proceed_with_precautions",
        [True],
        includes={"ELIG-TRAINING-003"},
        practitioner=clinician("CO", hours=30),
    ),
    Vignette(
        "expired credential and cauda equina signs",
        {"cauda_equina_signs": True},
        [("gluteus_medius", "left", "static")],
        "refer",
        [False],
        includes={"ELIG-CREDENTIAL-003", "RF-CAUDA-EQUINA-001"},
        urgency="emergency",
        practitioner=clinician("TX", expires_on="2026-01-01"),
    ),
    # --- issue 10: unanswered is not "no" -----------------------------------------------------
    Vignette(
        "blank record, low-back plan: incomplete, never proceed",
        {},
        [("gluteus_medius", "left", "static")],
        "incomplete",
        [True],
        complete=False,
        missing=[
            "acute_medical_emergency",
            "anticoagulant_therapy",
            "antiplatelet_therapy",
            "bleeding_disorder",
            "cardiac_or_visceral_referral_signs",
            "cauda_equina_signs",
            "declines_needling",
            "implanted_electrical_device",
            "lymphoedema_sites",
            "needle_phobia",
            "pregnant",
            "progressive_neurological_deficit",
            "skin_lesion_or_infection_sites",
            "suspected_aaa",
            "suspected_fracture",
            "suspected_infection",
            "suspected_malignancy",
            "unable_to_consent",
        ],
    ),
    Vignette(
        "neck plan asks the neck red flags and BMI, not the back ones",
        {
            **{fact: False for fact in BACK_ONLY_FLAGS},
            "cervical_myelopathy_signs": None,
            "cervical_arterial_dysfunction_signs": None,
            "upper_cervical_instability_signs": None,
        },
        [("upper_trapezius", "left", "static")],
        "incomplete",
        [True],
        missing=[
            "bmi",
            "cervical_arterial_dysfunction_signs",
            "cervical_myelopathy_signs",
            "upper_cervical_instability_signs",
        ],
    ),
    Vignette(
        "shoulder-only plan asks no spinal red flags beyond the general ones",
        {**{fact: None for fact in BACK_ONLY_FLAGS}, "bmi": 24},
        [("infraspinatus", "right", "static")],
        "proceed",
        [True],
        excludes={"RF-AAA-001"},
    ),
    Vignette(
        "pregnant without a trimester is incomplete",
        {"pregnant": True},
        [("gluteus_medius", "left", "static")],
        "incomplete",
        [True],
        includes={"CONTRA-PREGNANCY-001"},
        missing=["pregnancy_trimester"],
    ),
    Vignette(
        "first trimester is graded higher than later ones, and excludes the gluteal area",
        {"pregnant": True, "pregnancy_trimester": 1},
        [("gluteus_medius", "left", "static")],
        "do_not_needle",
        [False],
        includes={
            "CONTRA-PREGNANCY-001",
            "CONTRA-PREGNANCY-FIRST-TRIMESTER-001",
            "REGION-PREGNANCY-FIRST-TRIMESTER-001",
        },
    ),
    Vignette(
        "an empty lymphoedema list means none and is an answer",
        {"lymphoedema_sites": [], "skin_lesion_or_infection_sites": []},
        [("gluteus_medius", "left", "static")],
        "proceed",
        [True],
    ),
    # --- issue 10: structured red flags, cleared flags, tempo -----------------------------------
    Vignette(
        "history of cancer and night pain raise suspected malignancy though it was ticked No",
        {"history_of_cancer": True, "night_pain": True, "suspected_malignancy": False},
        [("gluteus_medius", "left", "static")],
        "refer",
        [False],
        includes={"RF-MALIGNANCY-001", "PREC-HISTORY-OF-CANCER-001"},
        urgency="urgent",
    ),
    Vignette(
        "history of cancer alone is documented, not referred",
        {"history_of_cancer": True},
        [("gluteus_medius", "left", "static")],
        "proceed_with_precautions",
        [True],
        includes={"PREC-HISTORY-OF-CANCER-001"},
        excludes={"RF-MALIGNANCY-001"},
    ),
    Vignette(
        "fever with back pain: suspected infection",
        {"fever": True},
        [("lumbar_multifidus", "left", "static")],
        "refer",
        [False],
        includes={"RF-INFECTION-001"},
        urgency="urgent",
    ),
    Vignette(
        "osteoporosis at 76: suspected fracture",
        {"osteoporosis": True, "age": 76},
        [("gluteus_medius", "left", "static")],
        "refer",
        [False],
        includes={"RF-FRACTURE-001"},
        urgency="urgent",
    ),
    Vignette(
        "long-term steroids alone at 50 raise no flag",
        {"long_term_corticosteroids": True, "age": 50},
        [("gluteus_medius", "left", "static")],
        "proceed",
        [True],
    ),
    Vignette(
        "cardiac referral signs with interscapular pain",
        {"cardiac_or_visceral_referral_signs": True},
        [("gluteus_medius", "left", "static")],
        "refer",
        [False],
        includes={"RF-CARDIAC-VISCERAL-001"},
        urgency="urgent",
    ),
    Vignette(
        "malignancy medically cleared: kept as a precaution, needling allowed",
        {"suspected_malignancy": True, "medically_cleared_red_flags": ["suspected_malignancy"]},
        [("gluteus_medius", "left", "static")],
        "proceed_with_precautions",
        [True],
        includes={"RF-MALIGNANCY-CLEARED-001"},
        excludes={"RF-MALIGNANCY-001"},
    ),
    Vignette(
        "a cleared flag does not clear another flag",
        {
            "suspected_malignancy": True,
            "fever": True,
            "medically_cleared_red_flags": ["suspected_malignancy"],
        },
        [("gluteus_medius", "left", "static")],
        "refer",
        [False],
        includes={"RF-MALIGNANCY-CLEARED-001", "RF-INFECTION-001"},
        urgency="urgent",
    ),
    Vignette(
        "slowly progressive deficit: urgent, not emergency",
        {
            "progressive_neurological_deficit": True,
            "neurological_deficit_rapidly_progressive": False,
        },
        [("gluteus_medius", "left", "static")],
        "refer",
        [False],
        includes={"RF-PROGRESSIVE-NEURO-001"},
        urgency="urgent",
    ),
    Vignette(
        "rapidly progressive deficit: emergency",
        {
            "progressive_neurological_deficit": True,
            "neurological_deficit_rapidly_progressive": True,
        },
        [("gluteus_medius", "left", "static")],
        "refer",
        [False],
        urgency="emergency",
    ),
    Vignette(
        "progressive deficit of unknown tempo: emergency, and the tempo is asked",
        {"progressive_neurological_deficit": True},
        [("gluteus_medius", "left", "static")],
        "refer",
        [False],
        urgency="emergency",
        missing=["neurological_deficit_rapidly_progressive"],
    ),
    # --- issue 10: any source of risk counts; INR --------------------------------------------
    Vignette(
        "apixaban on the medication list although the history says No",
        {"anticoagulant_therapy": False, "record_conflicts": ["anticoagulant_therapy"]},
        [("gluteus_medius", "left", "static")],
        "proceed_with_precautions",
        [True],
        includes={"CONTRA-RECORD-CONFLICT-001", "CONTRA-ANTICOAGULANT-001"},
    ),
    Vignette(
        "pacemaker on the device record although the history says No blocks electrical",
        {"implanted_electrical_device": False, "record_conflicts": ["implanted_electrical_device"]},
        [("gluteus_medius", "left", "electrical")],
        "do_not_needle",
        [False],
        includes={"CONTRA-RECORD-CONFLICT-001", "TECH-IMPLANTED-DEVICE-001"},
    ),
    Vignette(
        "warfarin with a high recent INR",
        {"anticoagulant_therapy": True, "inr": 3.6, "inr_date": "2026-11-20"},
        [("gluteus_medius", "left", "static")],
        "proceed_with_precautions",
        [True],
        includes={"PREC-INR-HIGH-001", "CONTRA-ANTICOAGULANT-001"},
        excludes={"PREC-INR-OUT-OF-DATE-001", "PREC-INR-NOT-RECORDED-001"},
        as_of="2026-11-25",
    ),
    Vignette(
        "warfarin with an INR in range but 12 weeks old",
        {"anticoagulant_therapy": True, "inr": 2.5, "inr_date": "2026-09-01"},
        [("gluteus_medius", "left", "static")],
        "proceed_with_precautions",
        [True],
        includes={"PREC-INR-OUT-OF-DATE-001"},
        excludes={"PREC-INR-HIGH-001", "PREC-INR-NOT-RECORDED-001"},
        as_of="2026-11-25",
    ),
    Vignette(
        "warfarin with no INR recorded asks for it",
        {"vitamin_k_antagonist": True},
        [("gluteus_medius", "left", "static")],
        "proceed_with_precautions",
        [True],
        includes={"CONTRA-ANTICOAGULANT-001", "PREC-INR-NOT-RECORDED-001"},
    ),
    Vignette(
        "apixaban is not monitored by INR: no INR is asked for",
        {"anticoagulant_therapy": True, "vitamin_k_antagonist": False},
        [("gluteus_medius", "left", "static")],
        "proceed_with_precautions",
        [True],
        includes={"CONTRA-ANTICOAGULANT-001"},
        excludes={"PREC-INR-NOT-RECORDED-001"},
    ),
    Vignette(
        "an INR without its date is incomplete",
        {"anticoagulant_therapy": True, "inr": 2.4},
        [("gluteus_medius", "left", "static")],
        "incomplete",
        [True],
        missing=["inr_date"],
    ),
    # --- issue 10: crying wolf ----------------------------------------------------------------
    Vignette(
        "single low-dose aspirin is documented, not a combined-therapy warning",
        {"antiplatelet_therapy": True},
        [("gluteus_medius", "left", "static")],
        "proceed_with_precautions",
        [True],
        includes={"CONTRA-ANTIPLATELET-001"},
        excludes={"CONTRA-ANTIPLATELET-COMBINED-001"},
    ),
    Vignette(
        "aspirin with apixaban is combined therapy",
        {"antiplatelet_therapy": True, "anticoagulant_therapy": True},
        [("gluteus_medius", "left", "static")],
        "proceed_with_precautions",
        [True],
        includes={"CONTRA-ANTIPLATELET-001", "CONTRA-ANTIPLATELET-COMBINED-001"},
    ),
    Vignette(
        "well-controlled type 2 diabetes, low-back plan: proceed",
        {"diabetes": True, "bmi": 22},
        [("lumbar_multifidus", "left", "static")],
        "proceed",
        [True],
        excludes={"CONTRA-DIABETES-001"},
    ),
    Vignette(
        "well-controlled type 2 diabetes, neck plan: proceed",
        {"diabetes": True},
        [("splenius_capitis", "left", "static")],
        "proceed",
        [True],
        excludes={"CONTRA-DIABETES-001"},
    ),
]


def test_there_are_at_least_thirty_vignettes():
    assert len(VIGNETTES) >= 30
    assert len({v.name for v in VIGNETTES}) == len(VIGNETTES)


@pytest.mark.parametrize("vignette", VIGNETTES, ids=lambda v: v.name)
def test_vignette(vignette):
    plan = [{"muscle": m, "side": s, "technique": t} for m, s, t in vignette.plan]
    facts = answered(**vignette.facts) if vignette.complete else vignette.facts
    screened = screen(facts, plan, practitioner=vignette.practitioner, as_of=vignette.as_of)
    result = screened.to_dict()
    assert result["missing"] == vignette.missing
    assert result["decision"] == vignette.decision
    assert result.get("urgency") == vignette.urgency
    assert [m["allowed"] for m in result["muscles"]] == vignette.allowed
    assert [(m["muscle"], m["side"], m["technique"]) for m in result["muscles"]] == vignette.plan
    fired = {f["rule_id"] for f in result["findings"]}
    fired |= {f["rule_id"] for m in result["muscles"] for f in m["findings"]}
    assert vignette.includes <= fired, vignette.includes - fired
    assert not (vignette.excludes & fired)
    shown = {g["id"] for m in result["muscles"] for g in m["guidance"]}
    assert vignette.guidance <= shown, vignette.guidance - shown
