"""Shape treatment records for the API and the CLI (no access decisions here).

The API validates each shape through its schema in ``treatments.responses``: only the fields
listed there leave the server."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from needlerx.clinical.treatment_rules import required_aftercare
from needlerx.treatments.models import (
    EVALUATION_FIELDS,
    AdverseEvent,
    CarePlan,
    ConsentRecord,
    TreatmentSession,
)
from needlerx.treatments.responses import AdverseEventOut, CarePlanOut, ConsentOut
from needlerx.treatments.selectors import home_exercise_programme, note_content
from needlerx.treatments.services import sign_blockers


def consent_out(record: ConsentRecord) -> ConsentOut:
    return ConsentOut.model_validate(
        {
            "id": record.public_id,
            "episode_id": record.episode.public_id,
            "template_id": record.template_id,
            "template_version": record.template_version,
            "template_title": record.template_title,
            "techniques": record.techniques,
            "signer_role": record.signer_role,
            "signer_name": record.signer_name,
            "signature_kind": record.signature_kind,
            "signed_at": record.signed_at,
            "witness_name": record.witness_name,
            "risk_notes": record.risk_notes,
            "text": record.text,
            "active": record.is_active_at(timezone.now()),
            "withdrawn_at": record.withdrawn_at,
        }
    )


def care_plan_out(plan: CarePlan) -> CarePlanOut:
    goals = [
        {
            "id": str(g.public_id),
            "description": g.description,
            "measure": g.measure,
            "measure_detail": g.measure_detail,
            "baseline": float(g.baseline) if g.baseline is not None else None,
            "target": float(g.target),
            "target_by": g.target_by,
        }
        for g in plan.goals.all()
    ]
    return CarePlanOut.model_validate(
        {
            "id": plan.public_id,
            "episode_id": plan.episode.public_id,
            "version": plan.version,
            "frequency_per_week": plan.frequency_per_week,
            "duration_weeks": plan.duration_weeks,
            "interventions": plan.interventions,
            "re_evaluation_on": plan.re_evaluation_on,
            "notes": plan.notes,
            "goals": goals,
            "home_exercise_programme": home_exercise_programme(plan),
        }
    )


def session_out(session: TreatmentSession) -> dict[str, Any]:
    """The note, its version (send it back with each change), lock state and what blocks signing
    (the CLI prints this; the API answers it through ``SessionNoteOut``)."""
    entries = [(e.muscle, e.technique) for e in session.needling_entries.all()]
    return {
        **note_content(session),
        "note_type": session.note_type,
        "evaluation": {name: getattr(session, name) for name in EVALUATION_FIELDS},
        "carried_forward_confirmed": session.carried_forward_confirmed,
        "version": session.version,
        "signed_at": session.signed_at.isoformat() if session.signed_at else None,
        "signed_by": session.signed_by.get_username() if session.signed_by else None,
        "signed_content_hash": session.signed_content_hash or None,
        "addenda": [
            {
                "id": str(a.public_id),
                "author": a.author.get_username(),
                "written_at": a.created_at.isoformat(),
                "text": a.text,
            }
            for a in session.addenda.select_related("author")
        ],
        "required_aftercare": [
            a.id for a in required_aftercare(entries, session.safety_facts or {})
        ],
        "sign_blockers": []
        if session.signed_at
        else [{"field": f, "message": m} for f, m in sign_blockers(session)],
    }


def event_out(event: AdverseEvent) -> AdverseEventOut:
    entry = event.needling_entry
    return AdverseEventOut.model_validate(
        {
            "id": event.public_id,
            "session_id": event.session.public_id,
            "event_type": event.event_type,
            "severity": event.severity,
            "onset_at": event.onset_at,
            "duration_minutes": event.duration_minutes,
            "muscle": entry.muscle if entry else None,
            "side": entry.side if entry else None,
            "description": event.description,
            "action_taken": event.action_taken,
            "follow_up": event.follow_up,
        }
    )
