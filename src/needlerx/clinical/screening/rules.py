"""Evaluate the rule conditions of rules/*.yaml and red_flags.yaml against parsed facts and plan."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from needlerx.clinical.reference import Guidance, RedFlag, Rule, Threshold, technique_guidance
from needlerx.clinical.reference.rule_schemas import (
    AllOf,
    AnyOf,
    AppliesTo,
    Condition,
    FactCompare,
    FactIsTrue,
    PlanBothSidesOver,
    SiteMatches,
)
from needlerx.clinical.reference.vocabulary import Side
from needlerx.clinical.screening.findings import Finding
from needlerx.clinical.screening.inputs import FactValue, PlanEntry, Site

Evidence = dict[str, Any]


@dataclass(frozen=True)
class RuleContext:
    facts: Mapping[str, FactValue]
    thresholds: Mapping[str, Threshold]
    plan: tuple[PlanEntry, ...]
    entry: PlanEntry | None = None


def sides_overlap(first: Side, second: Side) -> bool:
    """Same side, or either is bilateral or midline (midline is treated as touching both sides)."""
    spanning = ("bilateral", "midline")
    return first == second or first in spanning or second in spanning


def evaluate(condition: Condition | None, context: RuleContext) -> Evidence | None:
    """The facts that satisfy the condition, or None when it does not hold."""
    if condition is None:
        return {}
    if isinstance(condition, FactIsTrue):
        return {condition.fact: True} if context.facts.get(condition.fact) is True else None
    if isinstance(condition, FactCompare):
        return _compare(condition, context)
    if isinstance(condition, SiteMatches):
        return _site_matches(condition.site_matches, context)
    if isinstance(condition, PlanBothSidesOver):
        return {} if _plan_covers_both_sides(condition, context.plan) else None
    if isinstance(condition, AllOf):
        return _all_of(condition, context)
    return _any_of(condition, context)


def _compare(condition: FactCompare, context: RuleContext) -> Evidence | None:
    value = context.facts.get(condition.fact)
    if not isinstance(value, int | float) or isinstance(value, bool):
        return None
    limit = context.thresholds[condition.threshold].value
    holds = value < limit if condition.below is not None else value >= limit
    return {condition.fact: value} if holds else None


def _site_matches(fact_id: str, context: RuleContext) -> Evidence | None:
    entry = context.entry
    recorded = context.facts.get(fact_id)
    if entry is None or not isinstance(recorded, tuple):
        return None
    matched = [
        site.to_dict()
        for site in recorded
        if isinstance(site, Site)
        and site.area in entry.muscle.areas
        and sides_overlap(site.side, entry.side)
    ]
    return {fact_id: matched} if matched else None


def _plan_covers_both_sides(condition: PlanBothSidesOver, plan: tuple[PlanEntry, ...]) -> bool:
    structure, regions = condition.plan_both_sides_over, condition.regions
    sides = {
        entry.side
        for entry in plan
        if structure in entry.muscle.structures and (not regions or entry.muscle.region in regions)
    }
    if sides & {"bilateral", "midline"}:
        return True
    return {"left", "right"} <= sides


def _all_of(condition: AllOf, context: RuleContext) -> Evidence | None:
    evidence: Evidence = {}
    for part in condition.all:
        found = evaluate(part, context)
        if found is None:
            return None
        evidence.update(found)
    return evidence


def _any_of(condition: AnyOf, context: RuleContext) -> Evidence | None:
    evidence: Evidence = {}
    matched = False
    for part in condition.any:
        found = evaluate(part, context)
        if found is not None:
            matched = True
            evidence.update(found)
    return evidence if matched else None


def entry_in_scope(applies_to: AppliesTo | None, entry: PlanEntry) -> bool:
    """Every filter given in ``applies_to`` must match the planned entry."""
    if applies_to is None:
        return True
    muscle = entry.muscle
    checks = (
        not applies_to.muscles or muscle.id in applies_to.muscles,
        not applies_to.regions or muscle.region in applies_to.regions,
        not applies_to.areas or bool(set(applies_to.areas) & set(muscle.areas)),
        not applies_to.structures or bool(set(applies_to.structures) & muscle.structures),
        not applies_to.techniques or entry.technique in applies_to.techniques,
        not applies_to.sides or entry.side in applies_to.sides,
        applies_to.non_compressible in (None, not muscle.compressible),
    )
    return all(checks)


def apply_rule(rule: Rule, context: RuleContext) -> Finding | None:
    """Fire one rule in a context (patient-level, or one planned entry for muscle rules)."""
    if context.entry is not None and not entry_in_scope(rule.applies_to, context.entry):
        return None
    evidence = evaluate(rule.when, context)
    if evidence is None:
        return None
    for fact_id in rule.context_facts:
        if fact_id in context.facts:
            evidence.setdefault(fact_id, _as_json(context.facts[fact_id]))
    return Finding(
        rule_id=rule.id,
        severity=rule.severity,
        title=rule.title,
        message=rule.message,
        actions=tuple(rule.actions),
        source=rule.source,
        facts=evidence,
    )


def guidance_for(entry: PlanEntry) -> tuple[Guidance, ...]:
    """Technique guidance (guidance.yaml) for one planned entry: anatomy, never a finding."""
    return tuple(item for item in technique_guidance() if entry_in_scope(item.applies_to, entry))


def apply_red_flag(flag: RedFlag, facts: Mapping[str, FactValue]) -> Finding | None:
    if facts.get(flag.fact) is not True:
        return None
    return Finding(
        rule_id=flag.id,
        severity="red_flag",
        title=flag.title,
        message=flag.message,
        actions=tuple(flag.actions),
        source=flag.source,
        facts={flag.fact: True},
        kind="red_flag",
        urgency=flag.urgency,
    )


def _as_json(value: FactValue) -> Any:
    if isinstance(value, tuple):
        return [site.to_dict() for site in value]
    return value
