"""Clinical situations the screen must handle, seeded into a share of demo patients.

Each situation is a set of screening facts (VOCABULARY.md ids) and, where it comes from a drug,
a medication. Weights are how many patients in a hundred get it.
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


SITUATIONS = (
    Situation("none", 58),
    Situation("anticoagulant", 6, medication={
        "name": "Apixaban 5 mg", "drug_class": "anticoagulant", "dose": 5, "dose_unit": "mg",
        "doses_per_day": 2}),
    Situation("antiplatelet", 3, medication={
        "name": "Aspirin 81 mg", "drug_class": "antiplatelet", "dose": 81, "dose_unit": "mg",
        "doses_per_day": 1}),
    Situation("opioid", 5, medication={
        "name": "Oxycodone 5 mg", "drug_class": "opioid", "opioid": "oxycodone", "dose": 5,
        "dose_unit": "mg", "doses_per_day": 3}),
    Situation("nsaid", 6, medication={
        "name": "Ibuprofen 400 mg", "drug_class": "nsaid", "dose": 400, "dose_unit": "mg",
        "doses_per_day": 3}),
    Situation("pregnancy", 3, facts={"pregnant": True, "pregnancy_trimester": 2}, sex="female"),
    Situation("lymphoedema_after_breast_cancer", 3, sex="female", facts={
        "lymphoedema_sites": [{"area": "chest_wall", "side": "left"},
                              {"area": "upper_limb", "side": "left"}]}),
    Situation("pacemaker", 3, facts={"implanted_electrical_device": True}),
    Situation("low_bmi", 4, low_bmi=True),
    Situation("scoliosis", 3, facts={"altered_thoracic_anatomy": True}),
    Situation("needle_phobia", 2, facts={"needle_phobia": True}),
    Situation("diabetes", 4, facts={"diabetes": True}),
    Situation("red_flag_cauda_equina", 1, facts={"cauda_equina_signs": True}),
    Situation("red_flag_myelopathy", 1, facts={"cervical_myelopathy_signs": True}),
)  # fmt: skip
