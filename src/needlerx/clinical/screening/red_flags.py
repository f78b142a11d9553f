"""Red flags: a ticked flag, or structured history items that raise it in combination
(red_flags.yaml); urgency rises with tempo; a medically cleared flag stays as a precaution."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from needlerx.clinical.reference import red_flag_document
from needlerx.clinical.reference.red_flag_schemas import RedFlagsDocument
from needlerx.clinical.reference.rule_schemas import RedFlag
from needlerx.clinical.reference.vocabulary import URGENCY_ORDER, Urgency
from needlerx.clinical.screening.findings import Finding
from needlerx.clinical.screening.inputs import FactValue
from needlerx.clinical.screening.rules import RuleContext, evaluate


def red_flag_findings(facts: Mapping[str, FactValue]) -> list[Finding]:
    document = red_flag_document()
    cleared = facts.get("medically_cleared_red_flags")
    cleared_ids = set(cleared) if isinstance(cleared, list) else set()
    findings: list[Finding] = []
    for flag in document.red_flags:
        evidence = flag_evidence(flag, facts, document)
        if evidence is None:
            continue
        finding = _raised(flag, facts, evidence, document)
        findings.append(_cleared(finding, flag, document) if flag.fact in cleared_ids else finding)
    return findings


def flag_evidence(
    flag: RedFlag, facts: Mapping[str, FactValue], document: RedFlagsDocument
) -> dict[str, Any] | None:
    """The facts that raise the flag: the flag itself, or any combination that holds."""
    evidence: dict[str, Any] = {flag.fact: True} if facts.get(flag.fact) is True else {}
    context = RuleContext(facts=facts, thresholds=document.thresholds, plan=())
    for combination in document.combinations:
        if combination.red_flag == flag.fact:
            found = evaluate(combination.when, context)
            if found is not None:
                evidence.update(found)
    return evidence or None


def _raised(
    flag: RedFlag,
    facts: Mapping[str, FactValue],
    evidence: dict[str, Any],
    document: RedFlagsDocument,
) -> Finding:
    urgency: Urgency = flag.urgency
    message = flag.message
    for escalation in document.escalations:
        if escalation.red_flag != flag.fact:
            continue
        tempo = facts.get(escalation.unless_answered_no)
        if tempo is not False and URGENCY_ORDER[escalation.urgency] > URGENCY_ORDER[urgency]:
            urgency = escalation.urgency
            message = f"{message} {escalation.message}"
            if tempo is True:
                evidence[escalation.unless_answered_no] = True
    return Finding(
        rule_id=flag.id,
        severity="red_flag",
        title=flag.title,
        message=message,
        actions=tuple(flag.actions),
        source=flag.source,
        facts=evidence,
        kind="red_flag",
        urgency=urgency,
    )


def _cleared(finding: Finding, flag: RedFlag, document: RedFlagsDocument) -> Finding:
    """Kept on the record, downgraded to a precaution, and saying plainly that it was cleared."""
    wording = document.cleared
    prefix, _, number = flag.id.rpartition("-")
    return Finding(
        rule_id=f"{prefix}-{wording.rule_infix}-{number}",
        severity="precaution",
        title=wording.title.format(title=flag.title),
        message=wording.message.format(title=flag.title),
        actions=tuple(wording.actions),
        source=wording.source,
        facts={**finding.facts, "medically_cleared_red_flags": [flag.fact]},
        kind="red_flag",
    )
