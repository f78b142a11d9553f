"""Findings and the screening result, with the decision that combines them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from needlerx.clinical.evidence import Source
from needlerx.clinical.reference import Guidance
from needlerx.clinical.reference.vocabulary import (
    SEVERITY_ORDER,
    URGENCY_ORDER,
    Decision,
    Severity,
    Urgency,
)
from needlerx.clinical.reference_depth import ReferenceDepth
from needlerx.clinical.screening.inputs import PlanEntry

FindingKind = Literal["red_flag", "rule", "eligibility"]
BLOCKING_FOR_A_MUSCLE: frozenset[Severity] = frozenset({"absolute", "site_exclusion"})
# A patient-specific relative contraindication or risk needs a documented rationale (VOCABULARY,
# "Screening decision"); on a muscle, only while that muscle is allowed.
NEEDS_A_RATIONALE: frozenset[Severity] = frozenset({"relative", "precaution", "site_exclusion"})


@dataclass(frozen=True)
class Finding:
    """One rule that fired, with the facts that made it fire and where the rule comes from."""

    rule_id: str
    severity: Severity
    title: str
    message: str
    actions: tuple[str, ...]
    source: Source
    facts: Mapping[str, Any] = field(default_factory=dict)
    kind: FindingKind = "rule"
    urgency: Urgency | None = None
    because: str | None = None

    def to_dict(self) -> dict[str, Any]:
        result: dict[str, Any] = {
            "rule_id": self.rule_id,
            "severity": self.severity,
            "title": self.title,
            "message": self.message,
            "actions": list(self.actions),
            "source": self.source.label(),
            "source_confidence": self.source.confidence,
            "source_url": self.source.url,
            "facts": dict(self.facts),
            "kind": self.kind,
        }
        if self.urgency is not None:
            result["urgency"] = self.urgency
        if self.because:
            result["because"] = self.because
        return result


def sort_findings(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """Most restrictive first; emergencies before urgent referrals; then by rule id."""

    def key(finding: Finding) -> tuple[int, int, str]:
        urgency = -URGENCY_ORDER[finding.urgency] if finding.urgency else 0
        return (SEVERITY_ORDER[finding.severity], urgency, finding.rule_id)

    return tuple(sorted(findings, key=key))


@dataclass(frozen=True)
class MuscleResult:
    """One planned entry: allowed or not, its findings, and technique guidance for everyone.

    ``guidance`` (anatomy that applies to every patient) and ``reference_depth`` never change
    the decision.
    """

    entry: PlanEntry
    allowed: bool
    findings: tuple[Finding, ...]
    guidance: tuple[Guidance, ...] = ()
    reference_depth: ReferenceDepth | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "muscle": self.entry.muscle.id,
            "side": self.entry.side,
            "technique": self.entry.technique,
            "allowed": self.allowed,
            "findings": [finding.to_dict() for finding in self.findings],
            "guidance": [_guidance_dict(item) for item in self.guidance],
            "reference_depth": (
                self.reference_depth.to_dict() if self.reference_depth is not None else None
            ),
        }


def _guidance_dict(item: Guidance) -> dict[str, Any]:
    return {
        "id": item.id,
        "title": item.title,
        "message": item.message,
        "actions": list(item.actions),
        "source": item.source.label(),
        "source_url": item.source.url,
        "source_confidence": item.source.confidence,
    }


@dataclass(frozen=True)
class ScreeningResult:
    """The screen's answer: a decision, the required questions still unanswered (``missing``),
    patient-level findings and a result per planned muscle."""

    decision: Decision
    urgency: Urgency | None
    findings: tuple[Finding, ...]
    muscles: tuple[MuscleResult, ...]
    ruleset_version: str
    missing: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        result: dict[str, Any] = {"decision": self.decision}
        if self.decision == "refer":
            result["urgency"] = self.urgency
        result["missing"] = list(self.missing)
        result["findings"] = [finding.to_dict() for finding in self.findings]
        result["muscles"] = [muscle.to_dict() for muscle in self.muscles]
        result["ruleset_version"] = self.ruleset_version
        return result


def blocks_every_muscle(patient_findings: Iterable[Finding]) -> bool:
    return any(finding.severity in ("red_flag", "absolute") for finding in patient_findings)


def muscle_is_allowed(patient_blocked: bool, findings: Iterable[Finding]) -> bool:
    return not patient_blocked and not any(f.severity in BLOCKING_FOR_A_MUSCLE for f in findings)


def decide(
    patient_findings: tuple[Finding, ...],
    muscles: tuple[MuscleResult, ...],
    missing: tuple[str, ...] = (),
) -> tuple[Decision, Urgency | None]:
    """The most restrictive decision that applies (see docs/clinical-content.md).

    refer (any red flag not medically cleared) > do_not_needle (a patient-level absolute
    finding, or every planned entry blocked) > incomplete (a required question unanswered:
    needling is blocked until it is answered) > proceed_with_precautions (any other finding,
    including a blocked entry when others remain allowed) > proceed.

    A muscle's ``allowed`` says only whether a rule blocks it; while the screen is incomplete
    the decision blocks every muscle whatever ``allowed`` says.
    """
    red_flags = [f.urgency for f in patient_findings if f.severity == "red_flag" and f.urgency]
    if red_flags:
        return "refer", max(red_flags, key=URGENCY_ORDER.__getitem__)
    if any(finding.severity == "absolute" for finding in patient_findings):
        return "do_not_needle", None
    if muscles and not any(muscle.allowed for muscle in muscles):
        return "do_not_needle", None
    if missing:
        return "incomplete", None
    if patient_findings or any(muscle.findings for muscle in muscles):
        return "proceed_with_precautions", None
    return "proceed", None
