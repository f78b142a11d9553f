"""The dry-needling suitability screen: facts + plan (+ practitioner) -> decision with findings.

Pure and deterministic: the same input and rule-set version always give the same result. The
web app, the JSON API and the CLI all call :func:`screen_request` (or :func:`screen`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from needlerx.clinical.reference import rule_set, ruleset_version
from needlerx.clinical.reference_depth import reference_depth_for
from needlerx.clinical.screening.because import because
from needlerx.clinical.screening.derived import derive_facts
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
    parse_date,
    parse_facts,
    parse_plan,
    require_keys,
    require_mapping,
)
from needlerx.clinical.screening.red_flags import red_flag_findings
from needlerx.clinical.screening.required import missing_answers
from needlerx.clinical.screening.rules import RuleContext, apply_rule, guidance_for

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

REQUEST_FIELDS = ("facts", "plan", "practitioner", "as_of")


@dataclass(frozen=True)
class ScreeningInput:
    """A validated screening request; ``facts`` include those the screen derives (INR age)."""

    facts: Mapping[str, FactValue]
    plan: tuple[PlanEntry, ...]
    practitioner: PractitionerContext | None
    as_of: dt.date


def parse_request(payload: Any) -> ScreeningInput:
    """Validate the whole JSON body ``{"facts", "plan", "practitioner", "as_of"}``."""
    body = require_mapping(payload, "request")
    require_keys(body, "", REQUEST_FIELDS)
    return build_input(
        body.get("facts", {}), body.get("plan", []), body.get("practitioner"), body.get("as_of")
    )


def build_input(facts: Any, plan: Any, practitioner: Any, as_of: Any) -> ScreeningInput:
    """``as_of`` (the screening date, YYYY-MM-DD) defaults to the practitioner's, else today."""
    context = parse_practitioner(practitioner)
    if as_of is not None:
        day = parse_date(as_of, "as_of")
    elif context is not None:
        day = context.as_of
    else:
        day = dt.datetime.now(tz=dt.UTC).date()
    return ScreeningInput(
        facts=derive_facts(parse_facts(facts), as_of=day),
        plan=parse_plan(plan),
        practitioner=context,
        as_of=day,
    )


def screen(
    facts: Mapping[str, Any],
    plan: Sequence[Mapping[str, Any]],
    *,
    practitioner: Mapping[str, Any] | None = None,
    as_of: dt.date | str | None = None,
) -> ScreeningResult:
    """Screen a patient's facts and needling plan; raises ClinicalInputError on bad input."""
    return evaluate_screen(build_input(facts, plan, practitioner, as_of))


def screen_request(payload: Mapping[str, Any]) -> ScreeningResult:
    """Screen a whole JSON request body (the shared parser for the CLI and the API)."""
    return evaluate_screen(parse_request(payload))


screen_for_dry_needling = screen


def evaluate_screen(request: ScreeningInput) -> ScreeningResult:
    patient_findings = sort_findings(explained(_patient_findings(request)))
    patient_blocked = blocks_every_muscle(patient_findings)
    muscles = tuple(
        _muscle_result(request, entry, patient_blocked=patient_blocked) for entry in request.plan
    )
    missing = missing_answers(request.facts, request.plan)
    decision, urgency = decide(patient_findings, muscles, missing)
    return ScreeningResult(
        decision=decision,
        urgency=urgency,
        findings=patient_findings,
        muscles=muscles,
        ruleset_version=ruleset_version(),
        missing=missing,
    )


def explained(findings: Iterable[Finding]) -> list[Finding]:
    """Each finding with its plain "because" sentence built from its evidence facts."""
    return [dataclasses.replace(finding, because=because(finding.facts)) for finding in findings]


def _patient_findings(request: ScreeningInput) -> list[Finding]:
    findings = red_flag_findings(request.facts)
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
    findings = sort_findings(explained(found))
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
