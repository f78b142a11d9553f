"""Reference data for the dry-needling screen, loaded once per process and validated on load.

Data files live in ``needlerx/clinical/data``; see docs/clinical-content.md for how they are
written, sourced, tested and versioned.
"""

from __future__ import annotations

from needlerx.clinical.reference.catalogue import (
    JurisdictionCatalogue,
    RuleSet,
    fact_catalogue,
    fact_choices,
    fact_types,
    grouped_muscles,
    jurisdictions,
    load_all,
    muscle_catalogue,
    muscles_for_new_records,
    red_flag_document,
    red_flags,
    reference_depth_fallbacks,
    required_answers,
    rule_set,
    ruleset_fingerprint,
    ruleset_version,
    technique_guidance,
)
from needlerx.clinical.reference.rule_schemas import Guidance, RedFlag, Rule, RuleCase, Threshold
from needlerx.clinical.reference.schemas import (
    FactDefinition,
    Jurisdiction,
    Muscle,
    RequiredAnswers,
    TrainingRequirement,
)
from needlerx.clinical.reference.vocabulary import (
    AREAS,
    REGIONS,
    SEVERITIES,
    SIDES,
    STRUCTURES,
    TECHNIQUES,
)

__all__ = [
    "AREAS",
    "REGIONS",
    "SEVERITIES",
    "SIDES",
    "STRUCTURES",
    "TECHNIQUES",
    "FactDefinition",
    "Guidance",
    "Jurisdiction",
    "JurisdictionCatalogue",
    "Muscle",
    "RedFlag",
    "RequiredAnswers",
    "Rule",
    "RuleCase",
    "RuleSet",
    "Threshold",
    "TrainingRequirement",
    "fact_catalogue",
    "fact_choices",
    "fact_types",
    "grouped_muscles",
    "jurisdictions",
    "load_all",
    "muscle_catalogue",
    "muscles_for_new_records",
    "red_flag_document",
    "red_flags",
    "reference_depth_fallbacks",
    "required_answers",
    "rule_set",
    "ruleset_fingerprint",
    "ruleset_version",
    "technique_guidance",
]
