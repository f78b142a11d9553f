"""Pydantic models for the rule files (rules/*.yaml) and red_flags.yaml.

A rule's condition uses a small closed language with no negation, so adding a risk fact can only
make more rules fire (the screen is monotone; a property test checks it):

* ``{fact: needle_phobia}`` — a boolean fact is true;
* ``{fact: bmi, below: low_bmi_for_pleura}`` / ``{fact: age, at_least: ...}`` — compare a number
  with a named threshold from the ``thresholds`` section (never a literal in a rule);
* ``{site_matches: lymphoedema_sites}`` — a recorded site overlaps the planned muscle and side;
* ``{plan_both_sides_over: pleura, regions: [thoracic]}`` — the plan needles over that structure
  on both sides (counting only muscles of those regions when ``regions`` is given);
* ``{all: [...]}`` / ``{any: [...]}``.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from needlerx.clinical.evidence import Source
from needlerx.clinical.reference.schemas import RULE_ID, SNAKE_ID, DataModel
from needlerx.clinical.reference.vocabulary import (
    Area,
    Region,
    Severity,
    Side,
    SpinalRegion,
    Structure,
    Technique,
    Urgency,
)


class FactIsTrue(DataModel):
    fact: str = Field(pattern=SNAKE_ID)


class FactCompare(DataModel):
    fact: str = Field(pattern=SNAKE_ID)
    below: str | None = Field(default=None, pattern=SNAKE_ID)
    at_least: str | None = Field(default=None, pattern=SNAKE_ID)

    @model_validator(mode="after")
    def _one_comparison(self) -> FactCompare:
        if (self.below is None) == (self.at_least is None):
            raise ValueError("give exactly one of 'below' or 'at_least' (a threshold id)")
        return self

    @property
    def threshold(self) -> str:
        return self.below if self.below is not None else str(self.at_least)


class SiteMatches(DataModel):
    site_matches: str = Field(pattern=SNAKE_ID)


class PlanBothSidesOver(DataModel):
    """The plan needles over the structure on both sides (only muscles of ``regions`` count)."""

    plan_both_sides_over: Structure
    regions: list[Region] = []


class AllOf(DataModel):
    all: list[Condition] = Field(min_length=2)


class AnyOf(DataModel):
    any: list[Condition] = Field(min_length=2)


Condition = FactCompare | FactIsTrue | SiteMatches | PlanBothSidesOver | AllOf | AnyOf
# AllOf and AnyOf name Condition before it exists: their validators are built (defer_build, on
# first use) when it does.


def condition_facts(condition: Condition | None) -> set[str]:
    """Every fact id a condition reads."""
    if condition is None or isinstance(condition, PlanBothSidesOver):
        return set()
    if isinstance(condition, FactIsTrue | FactCompare):
        return {condition.fact}
    if isinstance(condition, SiteMatches):
        return {condition.site_matches}
    parts = condition.all if isinstance(condition, AllOf) else condition.any
    return set().union(*(condition_facts(part) for part in parts))


def condition_needs_a_muscle(condition: Condition | None) -> bool:
    if condition is None or isinstance(condition, FactIsTrue | FactCompare):
        return False
    if isinstance(condition, SiteMatches | PlanBothSidesOver):
        return True
    parts = condition.all if isinstance(condition, AllOf) else condition.any
    return any(condition_needs_a_muscle(part) for part in parts)


class Threshold(DataModel):
    value: float
    unit: str
    meaning: str
    source: Source


class AppliesTo(DataModel):
    """Which planned entries a muscle-level rule concerns; every given filter must match."""

    muscles: list[str] = []
    regions: list[Region] = []
    areas: list[Area] = []
    structures: list[Structure] = []
    techniques: list[Technique] = []
    sides: list[Side] = []
    # true: only muscles marked compressible: false in muscles.yaml; false: only the others
    non_compressible: bool | None = None


class RuleCase(DataModel):
    """An executable example: the test suite screens it and checks whether the rule fires."""

    name: str
    facts: dict[str, Any] = {}
    plan: list[dict[str, Any]] = []
    expect: Literal["fires", "silent"]
    fires_on: list[int] | None = None

    @model_validator(mode="after")
    def _on_only_when_firing(self) -> RuleCase:
        if self.fires_on is not None and self.expect != "fires":
            raise ValueError("'fires_on' lists the plan entries a firing case fires on")
        return self


class Rule(DataModel):
    id: str = Field(pattern=RULE_ID)
    title: str
    severity: Severity
    scope: Literal["patient", "muscle"]
    reads: list[str] = []
    context_facts: list[str] = []
    when: Condition | None = None
    applies_to: AppliesTo | None = None
    message: str
    actions: list[str] = Field(min_length=1)
    source: Source
    cases: list[RuleCase] = Field(min_length=2)

    @model_validator(mode="after")
    def _consistent(self) -> Rule:
        problems = _rule_problems(self)
        if problems:
            raise ValueError("; ".join(problems))
        return self


def _rule_problems(rule: Rule) -> list[str]:
    problems: list[str] = []
    if rule.severity == "red_flag":
        problems.append("red flags belong in red_flags.yaml")
    if set(rule.reads) != condition_facts(rule.when):
        problems.append(
            f"'reads' must list exactly the facts in 'when': {condition_facts(rule.when)}"
        )
    if rule.scope == "patient" and (
        rule.applies_to is not None or condition_needs_a_muscle(rule.when)
    ):
        problems.append("a patient-level rule cannot filter or match on planned muscles")
    if rule.scope == "patient" and rule.when is None:
        problems.append("a patient-level rule needs a 'when' condition")
    if (
        rule.scope == "muscle"
        and rule.applies_to is None
        and not condition_needs_a_muscle(rule.when)
    ):
        problems.append("a muscle-level rule needs 'applies_to' or a site/plan condition")
    if rule.severity == "site_exclusion" and rule.scope != "muscle":
        problems.append("a site exclusion is a muscle-level rule")
    expectations = {case.expect for case in rule.cases}
    if expectations != {"fires", "silent"}:
        problems.append("cases need at least one that fires and one that stays silent")
    if rule.scope == "patient" and any(case.fires_on is not None for case in rule.cases):
        problems.append("'fires_on' is only for muscle-level rules")
    return problems


class RuleFile(DataModel):
    sources: dict[str, Source] = {}
    thresholds: dict[str, Threshold] = {}
    rules: list[Rule] = []


class Guidance(DataModel):
    """Technique guidance for a planned muscle that applies to everyone (anatomy, not a risk of
    this patient): shown on the plan, never a finding, never changing the decision."""

    id: str = Field(pattern=RULE_ID)
    title: str
    message: str
    actions: list[str] = Field(min_length=1)
    applies_to: AppliesTo
    source: Source
    shown_for: list[str] = Field(min_length=1)
    not_shown_for: list[str] = Field(min_length=1)


class GuidanceFile(DataModel):
    sources: dict[str, Source] = {}
    guidance: list[Guidance] = Field(min_length=1)


class RedFlag(DataModel):
    """A sign that needs medical assessment before any needling."""

    id: str = Field(pattern=RULE_ID)
    fact: str = Field(pattern=SNAKE_ID)
    regions: list[SpinalRegion] = Field(min_length=1)
    title: str
    urgency: Urgency
    message: str
    actions: list[str] = Field(min_length=1)
    source: Source


class RedFlagsFile(DataModel):
    sources: dict[str, Source] = {}
    red_flags: list[RedFlag] = Field(min_length=1)
