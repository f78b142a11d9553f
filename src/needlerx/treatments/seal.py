"""The seal of a signed note: a snapshot of everything the note showed, in words, with a SHA-256
over its canonical JSON. Built from plain objects (no queries) so the demo can seal in bulk.

The screen the note's re-check read (facts, plan, practitioner, result) is kept once, in the
stored screening run the note references, which is never changed: the snapshot a note stores
leaves those four values out of ``content.safety_check`` (``snapshot_to_store``) and they are put
back from the run (``snapshot_as_sealed``) before the seal is checked or the note is shown. So are
the parts of the note's ``screen`` that are the run's result word for word: each muscle's findings
and reference depth, and the guidance (``RESULT_COPIES``, ``result_guidance``); they were most of a
stored note. The hash is always over the whole snapshot, so a changed run breaks the seal like a
changed note.

What puts a value back must never change (a note sealed years ago is checked with it): a new way
of storing a snapshot needs a new marker, not a change here."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from needlerx.treatments.recheck import findings_needing_rationale, rationale_text
from needlerx.treatments.words import (
    aftercare_words,
    decision_words,
    fact_words,
    muscle_words,
    severity_words,
    side_words,
    technique_words,
)

SEAL_FORMAT = 1
SCREEN_VALUES = ("facts", "plan", "practitioner", "result")
# What a muscle of the note's screen copies from the same muscle of the run's result.
RESULT_COPIES = ("findings", "reference_depth")


# The encoder ``json.dumps(data, sort_keys=True, separators=(",", ":"), default=str,
# ensure_ascii=False)`` would build on every call, built once (the demo seals in bulk).
_CANONICAL = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), default=str, ensure_ascii=False
).encode


def canonical(data: Any) -> str:
    return _CANONICAL(data)


def seal_hash(snapshot: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical(snapshot).encode()).hexdigest()


def _finding(
    finding: Mapping[str, Any], where: str, session: Any, needing: Mapping[str, Any]
) -> dict[str, Any]:
    rule_id = finding["rule_id"]
    facts = finding.get("facts") or {}
    sealed = {
        "rule_id": rule_id,
        "where": where,
        "title": finding.get("title", ""),
        "severity": finding.get("severity", ""),
        "severity_words": severity_words(finding.get("severity", "")),
        "message": finding.get("message", ""),
        "actions": list(finding.get("actions", [])),
        "because": finding.get("because")
        or "; ".join(f"{fact_words(k)}: {v}" for k, v in facts.items()),
        "source": finding.get("source", ""),
        "source_url": finding.get("source_url"),
    }
    if rule_id in needing:
        own = (session.finding_rationales or {}).get(rule_id) or {}
        sealed["rationale"] = rationale_text(
            session.finding_rationales, session.safety_rationale, rule_id
        )
        sealed["rationale_carried_from"] = own.get("carried_from")
    return sealed


def _where(item: Mapping[str, Any]) -> str:
    return f"{muscle_words(item['muscle'])} ({side_words(item['side'])})"


def _screen(session: Any) -> dict[str, Any]:
    result = session.safety_result or {}
    checked, decision = session.safety_checked_at, session.safety_decision
    needing = findings_needing_rationale(result)
    findings = [_finding(f, "Patient", session, needing) for f in result.get("findings", [])]
    for item in result.get("muscles", []):
        findings += [_finding(f, _where(item), session, needing) for f in item.get("findings", [])]
    return {
        "checked_at": checked.isoformat() if checked else None,
        "decision": decision,
        "decision_words": decision_words(decision) if decision else "",
        "ruleset_version": session.safety_ruleset_version,
        "missing_words": [fact_words(m) for m in result.get("missing", [])],
        "findings": findings,
        "changes": session.safety_changes,
        **screen_of_result(result),
    }


def screen_of_result(result: Mapping[str, Any] | None) -> dict[str, Any]:
    """The note's screen that comes from the run's result alone: each muscle in words (with
    what it copies from the result) and the guidance."""
    muscles = [
        {
            "muscle": item["muscle"],
            "side": item["side"],
            "technique": item["technique"],
            "words": f"{_where(item)}, {technique_words(item['technique']).lower()}",
            "allowed": bool(item.get("allowed")),
            **result_copies(item),
        }
        for item in (result or {}).get("muscles", [])
    ]
    return {"muscles": muscles, "guidance": result_guidance(result)}


def result_copies(item: Mapping[str, Any]) -> dict[str, Any]:
    """What the note's screen copies from one muscle of the run's result."""
    return {"findings": item.get("findings", []), "reference_depth": item.get("reference_depth")}


def result_guidance(result: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    """The technique guidance of the result's muscles, each item once (the first), in order.

    Kept apart from ``recheck.guidance_items`` on purpose: sealed notes are put back with this,
    so it must not change when the re-check's idea of guidance does."""
    items: dict[str, dict[str, Any]] = {}
    for muscle in (result or {}).get("muscles", []):
        for item in muscle.get("guidance") or []:
            items.setdefault(str(item["id"]), dict(item))
    return list(items.values())


def _entry(entry: Any) -> dict[str, Any]:
    pair = entry.paired_with
    return {
        "id": str(entry.public_id),
        "muscle_words": muscle_words(entry.muscle),
        "side_words": side_words(entry.side),
        "technique_words": technique_words(entry.technique),
        "needle": f"{entry.needle_gauge_mm} mm by {entry.needle_length_mm} mm",
        "max_depth_mm": float(entry.max_depth_mm),
        "insertions": entry.insertions,
        "needles": entry.needles,
        "local_twitch_responses": entry.local_twitch_responses,
        "duration_seconds": entry.duration_seconds,
        "electrical": entry.electrical,
        "paired_with": f"{muscle_words(pair.muscle)} ({side_words(pair.side)})" if pair else None,
        "depth_warning": entry.depth_warning,
    }


def _signer(signer: Any, credential: Any) -> dict[str, Any]:
    held = None
    if credential is not None:
        held = {
            "training_provider": credential.training_provider,
            "hours": credential.hours,
            "completed_on": credential.completed_on.isoformat(),
            "expires_on": credential.expires_on.isoformat() if credential.expires_on else None,
            "licence_number": credential.licence_number,
            "licence_region": f"{credential.licence_region}, {credential.licence_country}",
        }
    name = signer.get_full_name() or signer.get_username()
    return {"username": signer.get_username(), "name": name, "credential": held}


def note_snapshot(
    *,
    session: Any,
    content: Mapping[str, Any],
    entries: Sequence[Any],
    trigger_points: Iterable[Any],
    signer: Any,
    credential: Any,
) -> dict[str, Any]:
    """What the signed note shows, for ever: ``content`` is ``note_content`` of the note."""
    snapshot = note_snapshot_objects(
        session=session,
        content=content,
        entries=entries,
        trigger_points=trigger_points,
        signer=signer,
        credential=credential,
    )
    return json.loads(canonical(snapshot))  # type: ignore[no-any-return]


def note_snapshot_objects(
    *,
    session: Any,
    content: Mapping[str, Any],
    entries: Sequence[Any],
    trigger_points: Iterable[Any],
    signer: Any,
    credential: Any,
) -> dict[str, Any]:
    """The snapshot before its round trip through canonical JSON (which ``note_snapshot`` makes:
    dates, decimals and tuples become the strings and lists the seal holds)."""
    return {
        "format": SEAL_FORMAT,
        "content": dict(content),
        "screen": _screen(session),
        "entries": [_entry(e) for e in entries],
        "needle_count": {"used": session.needles_used, "removed": session.needles_removed},
        "aftercare_words": [aftercare_words(a) for a in session.aftercare_given],
        "body_chart": {
            "trigger_points": sorted(
                ({"muscle": p.muscle, "side": p.side, "status": p.status} for p in trigger_points),
                key=lambda p: (p["muscle"], p["side"]),
            ),
            "needled": sorted({(e.muscle, e.side) for e in entries}),
        },
        "signer": _signer(signer, credential),
        "signed_at": session.signed_at.isoformat(),
    }


def _run_values(run: Any) -> dict[str, Any]:
    return {name: getattr(run, name) for name in SCREEN_VALUES}


def snapshot_to_store(snapshot: Mapping[str, Any], run: Any) -> dict[str, Any]:
    """The snapshot without what ``run`` holds exactly: its screen values, and the parts of the
    note's screen copied from its result (anything that differs is kept)."""
    stored = dict(snapshot)
    if run is None:
        return stored
    check = (snapshot.get("content") or {}).get("safety_check")
    if (
        isinstance(check, Mapping)
        and all(k in check for k in SCREEN_VALUES)
        and canonical({k: check[k] for k in SCREEN_VALUES}) == canonical(_run_values(run))
    ):
        kept = {k: v for k, v in check.items() if k not in SCREEN_VALUES}
        stored["content"] = {**snapshot["content"], "safety_check": kept}
    screen = snapshot.get("screen")
    if isinstance(screen, Mapping):
        stored["screen"] = _screen_to_store(screen, run.result)
    return stored


def _screen_to_store(screen: Mapping[str, Any], result: Mapping[str, Any] | None) -> dict[str, Any]:
    kept = dict(screen)
    if "guidance" in screen and canonical(screen["guidance"]) == canonical(result_guidance(result)):
        del kept["guidance"]
    muscles, of_result = screen.get("muscles"), (result or {}).get("muscles", [])
    if isinstance(muscles, list) and len(muscles) == len(of_result):
        kept["muscles"] = [
            _muscle_to_store(muscle, item) for muscle, item in zip(muscles, of_result, strict=True)
        ]
    return kept


def _muscle_to_store(muscle: Any, item: Mapping[str, Any]) -> Any:
    if not isinstance(muscle, Mapping) or any(k not in muscle for k in RESULT_COPIES):
        return muscle
    if canonical({k: muscle[k] for k in RESULT_COPIES}) != canonical(result_copies(item)):
        return muscle
    return {k: v for k, v in muscle.items() if k not in RESULT_COPIES}


def snapshot_as_sealed(stored: Mapping[str, Any], run: Any) -> dict[str, Any]:
    """The whole snapshot the seal's hash covers: the stored one with what ``snapshot_to_store``
    left out put back from the referenced run."""
    whole = dict(stored)
    if run is None:
        return whole
    check = (stored.get("content") or {}).get("safety_check")
    if isinstance(check, Mapping) and not any(k in check for k in SCREEN_VALUES):
        put_back = {**check, **json.loads(canonical(_run_values(run)))}
        whole["content"] = {**stored["content"], "safety_check": put_back}
    screen = stored.get("screen")
    if isinstance(screen, Mapping):
        whole["screen"] = _screen_as_sealed(screen, run.result)
    return whole


def _screen_as_sealed(
    screen: Mapping[str, Any], result: Mapping[str, Any] | None
) -> dict[str, Any]:
    whole = dict(screen)
    if "guidance" not in screen:
        whole["guidance"] = json.loads(canonical(result_guidance(result)))
    muscles, of_result = screen.get("muscles"), (result or {}).get("muscles", [])
    if isinstance(muscles, list) and len(muscles) == len(of_result):
        whole["muscles"] = [
            muscle
            if not isinstance(muscle, Mapping) or any(k in muscle for k in RESULT_COPIES)
            else {**muscle, **json.loads(canonical(result_copies(item)))}
            for muscle, item in zip(muscles, of_result, strict=True)
        ]
    return whole
