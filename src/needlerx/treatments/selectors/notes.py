"""The content of a session note as plain data: what is shown, exported and hashed at signing."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from needlerx.treatments.models import (
    EVALUATION_FIELDS,
    NeedlingEntry,
    SafetyAlert,
    TreatmentSession,
)

SOAP_FIELDS = (
    "pain_now",
    "change_since_last",
    "soreness_since_last",
    "last_session_follow_up",
    "subjective_notes",
    "objective_notes",
    "needles_used",
    "needles_removed",
    "pain_before",
    "pain_after",
    "rom_motion",
    "rom_before",
    "rom_after",
    "other_interventions",
    "aftercare_given",
    "assessment",
    "plan_notes",
)


def _added_content(session: TreatmentSession) -> dict[str, Any]:
    """The note type, evaluation fields and carried-forward confirmation, present only when used:
    a follow-up note without them has the content (and seal) it had before they existed, so the
    seals of notes signed earlier still match their rows."""
    added: dict[str, Any] = {}
    evaluation = {name: getattr(session, name) for name in EVALUATION_FIELDS}
    if session.note_type != "treatment" or any(evaluation.values()):
        added["note_type"] = session.note_type
        added["note_type_words"] = session.get_note_type_display()
        added["evaluation"] = evaluation
    if session.carried_forward_confirmed:
        added["carried_forward"] = session.carried_forward_confirmed
    return added


def needling_entry_content(entry: NeedlingEntry) -> dict[str, Any]:
    return {
        "id": str(entry.public_id),
        "muscle": entry.muscle,
        "side": entry.side,
        "technique": entry.technique,
        "needle_gauge_mm": float(entry.needle_gauge_mm),
        "needle_length_mm": float(entry.needle_length_mm),
        "max_depth_mm": float(entry.max_depth_mm),
        "insertions": entry.insertions,
        "needles": entry.needles,
        "paired_with": str(entry.paired_with.public_id) if entry.paired_with else None,
        "local_twitch_responses": entry.local_twitch_responses,
        "duration_seconds": entry.duration_seconds,
        "electrical": entry.electrical,
        "depth_warning": entry.depth_warning,
        "depth_warning_acknowledged": entry.depth_warning_acknowledged,
    }


def safety_alert_content(alert: SafetyAlert) -> dict[str, Any]:
    return {
        "id": str(alert.public_id),
        "kind": alert.kind,
        "detail": alert.detail,
        "raised_at": alert.raised_at.isoformat(),
        "resolution": alert.resolution,
        "resolution_note": alert.resolution_note,
        "resolved_at": alert.resolved_at.isoformat() if alert.resolved_at else None,
    }


def note_content(session: TreatmentSession) -> dict[str, Any]:
    """Everything the clinician signs: SOAP fields, the safety re-check, entries and alerts."""
    return content_of(
        session, list(session.needling_entries.all()), list(session.safety_alerts.all())
    )


def content_of(
    session: TreatmentSession, entries: Sequence[NeedlingEntry], alerts: Sequence[SafetyAlert]
) -> dict[str, Any]:
    """``note_content`` from objects already in hand (no queries: the demo seals in bulk)."""
    content: dict[str, Any] = {name: getattr(session, name) for name in SOAP_FIELDS}
    for name in ("rom_before", "rom_after"):
        value = content[name]
        content[name] = float(value) if value is not None else None
    content.update(
        id=str(session.public_id),
        episode_id=str(session.episode.public_id),
        patient_id=str(session.patient.public_id),
        clinician=session.clinician.get_username(),
        started_at=session.started_at.isoformat(),
        safety_check={
            "checked_at": session.safety_checked_at.isoformat()
            if session.safety_checked_at
            else None,
            "decision": session.safety_decision,
            "ruleset_version": session.safety_ruleset_version,
            "facts": session.safety_facts,
            "plan": session.safety_plan,
            "practitioner": session.safety_practitioner,
            "result": session.safety_result,
            "rationale": session.safety_rationale,
            "finding_rationales": session.finding_rationales,
            "changes": session.safety_changes,
        },
        needling_entries=[needling_entry_content(e) for e in entries],
        safety_alerts=[safety_alert_content(a) for a in alerts],
    )
    content.update(_added_content(session))
    return content


LEGACY_ENTRY_KEYS = ("needles", "paired_with")
LEGACY_CHECK_KEYS = ("finding_rationales", "changes")


def legacy_content(content: dict[str, Any]) -> dict[str, Any]:
    """``note_content`` as it was before needles per entry and per-finding rationales: what the
    hash of a note signed before sealing covered."""
    check = {k: v for k, v in content["safety_check"].items() if k not in LEGACY_CHECK_KEYS}
    entries = [
        {k: v for k, v in entry.items() if k not in LEGACY_ENTRY_KEYS}
        for entry in content["needling_entries"]
    ]
    return {**content, "safety_check": check, "needling_entries": entries}
