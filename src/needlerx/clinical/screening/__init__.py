"""The dry-needling suitability screen: facts + plan (+ practitioner) -> decision with findings.

Pure and deterministic: the same input and rule-set version always give the same result. The
web app, the JSON API and the CLI all call :func:`screen_request` (or :func:`screen`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from needlerx.clinical.reference import red_flags, rule_set, ruleset_version
from needlerx.clinical.reference_depth import reference_depth_for
from needlerx.clinical.screening.eligibility import (
    PractitionerContext,
    parse_practitioner,
    practitioner_findings,
)
from needlerx.clinical.screening.findings import (
    Finding,
    MuscleResult,
    ScreeningResult,
    blocks_every_muscle,
    decide,
    muscle_is_allowed,
    sort_findings,
)
from needlerx.clinical.screening.inputs import (
    FactValue,
    PlanEntry,
    parse_facts,
    parse_plan,
    require_keys,
    require_mapping,
)
from needlerx.clinical.screening.rules import (
    RuleContext,
    apply_red_flag,
    apply_rule,
    guidance_for,
)

__all__ = [
    "Finding",
    "MuscleResult",
    "ScreeningInput",
    "ScreeningResult",
    "parse_request",
    "screen",
    "screen_for_dry_needling",
    "screen_request",
]

REQUEST_FIELDS = ("facts", "plan", "practitioner")


@dataclass(frozen=True)
class ScreeningInput:
    """A validated screening request."""

    facts: Mapping[str, FactValue]
    plan: tuple[PlanEntry, ...]
    practitioner: PractitionerContext | None


def parse_request(payload: Any) -> ScreeningInput:
    """Validate the whole JSON body ``{"facts": {...}, "plan": [...], "practitioner": ...}``."""
    body = require_mapping(payload, "request")
    require_keys(body, "", REQUEST_FIELDS)
    return ScreeningInput(
        facts=parse_facts(body.get("facts", {})),
        plan=parse_plan(body.get("plan", [])),
        practitioner=parse_practitioner(body.get("practitioner")),
    )


def screen(
    facts: Mapping[str, Any],
    plan: Sequence[Mapping[str, Any]],
    *,
    practitioner: Mapping[str, Any] | None = None,
) -> ScreeningResult:
    """Screen a patient's facts and needling plan; raises ClinicalInputError on bad input."""
    request = ScreeningInput(
        facts=parse_facts(facts),
        plan=parse_plan(plan),
        practitioner=parse_practitioner(practitioner),
    )
    return evaluate_screen(request)


def screen_request(payload: Mapping[str, Any]) -> ScreeningResult:
    """Screen a whole JSON request body (the shared parser for the CLI and the API)."""
    return evaluate_screen(parse_request(payload))


screen_for_dry_needling = screen


def evaluate_screen(request: ScreeningInput) -> ScreeningResult:
    patient_findings = sort_findings(_patient_findings(request))
    patient_blocked = blocks_every_muscle(patient_findings)
    muscles = tuple(
        _muscle_result(request, entry, patient_blocked=patient_blocked) for entry in request.plan
    )
    decision, urgency = decide(patient_findings, muscles)
    return ScreeningResult(
        decision=decision,
        urgency=urgency,
        findings=patient_findings,
        muscles=muscles,
        ruleset_version=ruleset_version(),
    )


def _patient_findings(request: ScreeningInput) -> list[Finding]:
    findings = [
        finding
        for flag in red_flags()
        if (finding := apply_red_flag(flag, request.facts)) is not None
    ]
    rules = rule_set()
    context = RuleContext(facts=request.facts, thresholds=rules.thresholds, plan=request.plan)
    for rule in rules.rules:
        if rule.scope == "patient" and (finding := apply_rule(rule, context)) is not None:
            findings.append(finding)
    if request.practitioner is not None:
        findings.extend(practitioner_findings(request.practitioner))
    return findings


def _muscle_result(
    request: ScreeningInput, entry: PlanEntry, *, patient_blocked: bool
) -> MuscleResult:
    rules = rule_set()
    context = RuleContext(
        facts=request.facts, thresholds=rules.thresholds, plan=request.plan, entry=entry
    )
    found = [
        finding
        for rule in rules.rules
        if rule.scope == "muscle" and (finding := apply_rule(rule, context)) is not None
    ]
    findings = sort_findings(found)
    allowed = muscle_is_allowed(patient_blocked, findings)
    bmi = request.facts.get("bmi")
    depth = reference_depth_for(entry.muscle.id, bmi if isinstance(bmi, float) else None)
    return MuscleResult(
        entry=entry,
        allowed=allowed,
        findings=findings,
        guidance=guidance_for(entry),
        reference_depth=depth,
    )
