"""Which required questions are unanswered (facts.yaml ``required``): absent is never "no"."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from needlerx.clinical.reference import red_flags, required_answers
from needlerx.clinical.screening.inputs import FactValue, PlanEntry


def required_facts(facts: Mapping[str, FactValue], plan: Iterable[PlanEntry]) -> set[str]:
    """Every fact that must be answered for these facts and this plan."""
    required = required_answers()
    entries = tuple(plan)
    needed = set(required.always)
    spinal = {
        required.red_flags_by_region[entry.muscle.region]
        for entry in entries
        if entry.muscle.region in required.red_flags_by_region
    }
    needed.update(flag.fact for flag in red_flags() if spinal & set(flag.regions))
    for entry in entries:
        for structure in entry.muscle.structures:
            needed.update(required.by_structure.get(structure, ()))
    for fact_id, details in required.when_true.items():
        if facts.get(fact_id) is True:
            needed.update(details)
    for fact_id, details in required.when_recorded.items():
        if fact_id in facts:
            needed.update(details)
    return needed


def missing_answers(facts: Mapping[str, FactValue], plan: Iterable[PlanEntry]) -> tuple[str, ...]:
    """The required facts not recorded, sorted (an empty sites list is an answer: "none")."""
    return tuple(sorted(fact for fact in required_facts(facts, plan) if fact not in facts))
