"""Clinical situations the screen must handle, seeded into a share of demo patients.

Each situation is a set of screening facts (ids of clinical/data/facts.yaml) and, where it comes
from a drug, a medication. Weights are how many patients in a hundred get it. Every patient's
evaluation answers the required questions ("no" or "none", see
``generator.evaluation_answers``); a situation's facts replace those answers, and ``unanswered``
leaves some out (an evaluation not finished, so the screen is incomplete).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Situation:
    name: str
    weight: int
    facts: dict[str, Any] = field(default_factory=dict)
    medication: dict[str, Any] | None = None
    sex: str | None = None
    low_bmi: bool = False
    unanswered: tuple[str, ...] = ()


SITUATIONS = (
    Situation("none", 55),
    Situation(
        "anticoagulant",
        6,
        facts={"anticoagulant_therapy": True, "vitamin_k_antagonist": False},
        medication={
            "name": "Apixaban 5 mg",
            "drug_class": "anticoagulant",
            "dose": 5,
            "dose_unit": "mg",
            "doses_per_day": 2,
        },
    ),
    Situation(
        "antiplatelet",
        3,
        facts={"antiplatelet_therapy": True},
        medication={
            "name": "Aspirin 81 mg",
            "drug_class": "antiplatelet",
            "dose": 81,
            "dose_unit": "mg",
            "doses_per_day": 1,
        },
    ),
    # The history says No but apixaban is on the medication list: the screen shows the conflict.
    Situation(
        "record_conflict",
        1,
        facts={"anticoagulant_therapy": False, "vitamin_k_antagonist": False},
        medication={
            "name": "Apixaban 5 mg",
            "drug_class": "anticoagulant",
            "dose": 5,
            "dose_unit": "mg",
            "doses_per_day": 2,
        },
    ),
    Situation(
        "evaluation_not_finished",
        2,
        unanswered=(
            "bleeding_disorder",
            "anticoagulant_therapy",
            "antiplatelet_therapy",
            "skin_lesion_or_infection_sites",
        ),
    ),
    Situation(
        "opioid",
        5,
        medication={
            "name": "Oxycodone 5 mg",
            "drug_class": "opioid",
            "opioid": "oxycodone",
            "dose": 5,
            "dose_unit": "mg",
            "doses_per_day": 3,
        },
    ),
    Situation(
        "nsaid",
        6,
        medication={
            "name": "Ibuprofen 400 mg",
            "drug_class": "nsaid",
            "dose": 400,
            "dose_unit": "mg",
            "doses_per_day": 3,
        },
    ),
    Situation("pregnancy", 3, facts={"pregnant": True, "pregnancy_trimester": 2}, sex="female"),
    Situation(
        "lymphoedema_after_breast_cancer",
        3,
        sex="female",
        facts={
            "lymphoedema_sites": [
                {"area": "chest_wall", "side": "left"},
                {"area": "upper_limb", "side": "left"},
            ]
        },
    ),
    Situation(
        "pacemaker",
        3,
        facts={
            "implanted_electrical_device": True,
            "implanted_device_sites": [{"area": "chest_wall", "side": "left"}],
        },
    ),
    Situation("low_bmi", 4, low_bmi=True),
    Situation("scoliosis", 3, facts={"altered_thoracic_anatomy": True}),
    Situation("needle_phobia", 2, facts={"needle_phobia": True}),
    Situation("diabetes", 4, facts={"diabetes": True}),
    Situation("red_flag_cauda_equina", 1, facts={"cauda_equina_signs": True}),
    Situation("red_flag_myelopathy", 1, facts={"cervical_myelopathy_signs": True}),
)
