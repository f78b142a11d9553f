"""The session re-check as plain data: which findings need a rationale, what changed since the
last signed re-check in the episode, and which technique guidance applies.

A finding is identified by its ``rule_id``; its evidence is its ``facts``. Items under a muscle's
``guidance`` are anatomy and technique guidance for everyone: they never need a rationale and are
acknowledged once per episode instead.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from needlerx.clinical.screening.findings import NEEDS_A_RATIONALE

Entry = Mapping[str, str]


def evidence(facts: Mapping[str, Any] | None) -> str:
    """The evidence of a finding as canonical text: equal text means unchanged facts."""
    return json.dumps(facts or {}, sort_keys=True, separators=(",", ":"), default=str)


def _add(needing: dict[str, dict[str, Any]], finding: Mapping[str, Any], where: str) -> None:
    item = needing.setdefault(
        finding["rule_id"],
        {
            "rule_id": finding["rule_id"],
            "title": finding.get("title", finding["rule_id"]),
            "severity": finding.get("severity", ""),
            "facts": {},
            "where": [],
        },
    )
    item["facts"].update(finding.get("facts") or {})
    if where not in item["where"]:
        item["where"].append(where)


def findings_needing_rationale(
    result: Mapping[str, Any] | None, entry: Entry | None = None
) -> dict[str, dict[str, Any]]:
    """rule_id -> {title, severity, facts, where} for each finding that needs a rationale.

    Patient-level findings always count; a muscle's findings count when the muscle is allowed
    (and, with ``entry``, only for that muscle, side and technique).
    """
    needing: dict[str, dict[str, Any]] = {}
    for finding in (result or {}).get("findings", []):
        if finding.get("severity") in NEEDS_A_RATIONALE:
            _add(needing, finding, "patient")
    for muscle in (result or {}).get("muscles", []):
        if not muscle.get("allowed"):
            continue
        if entry and any(muscle.get(k) != entry[k] for k in ("muscle", "side", "technique")):
            continue
        for finding in muscle.get("findings", []):
            if finding.get("severity") in NEEDS_A_RATIONALE:
                _add(needing, finding, f"{muscle['muscle']}:{muscle['side']}")
    for item in needing.values():
        item["evidence"] = evidence(item["facts"])
    return needing


def rationale_text(rationales: Mapping[str, Any] | None, legacy: str, rule_id: str) -> str:
    """The rationale for a finding; notes from before per-finding rationales have one for all."""
    own = (rationales or {}).get(rule_id) or {}
    return str(own.get("rationale") or legacy or "")


def changes_since(
    previous: Mapping[str, dict[str, Any]] | None,
    previous_rationales: Mapping[str, Any] | None,
    previous_legacy: str,
    current: Mapping[str, dict[str, Any]],
) -> tuple[dict[str, list[str]], dict[str, str]]:
    """New, changed, unchanged and resolved rule ids, and the rationales an unchanged finding
    keeps from the previous signed re-check."""
    changes: dict[str, list[str]] = {"new": [], "changed": [], "unchanged": [], "resolved": []}
    carried: dict[str, str] = {}
    if previous is None:
        changes["new"] = sorted(current)
        return changes, carried
    for rule_id, item in sorted(current.items()):
        before = previous.get(rule_id)
        if before is None:
            changes["new"].append(rule_id)
        elif before["evidence"] != item["evidence"]:
            changes["changed"].append(rule_id)
        else:
            changes["unchanged"].append(rule_id)
            text = rationale_text(previous_rationales, previous_legacy, rule_id)
            if text:
                carried[rule_id] = text
    changes["resolved"] = sorted(set(previous) - set(current))
    return changes, carried


def guidance_items(
    result: Mapping[str, Any] | None, entry: Entry | None = None
) -> dict[str, dict[str, Any]]:
    """id -> guidance item over the allowed muscles (or one entry's muscle)."""
    items: dict[str, dict[str, Any]] = {}
    for muscle in (result or {}).get("muscles", []):
        if entry and any(muscle.get(k) != entry[k] for k in ("muscle", "side", "technique")):
            continue
        for item in muscle.get("guidance") or []:
            items.setdefault(str(item["id"]), dict(item))
    return items
