"""Thin treatment endpoints: parse, call a selector or service, shape the answer.

Writes to a draft note take ``expected_version``; a stale one answers 409 (code ``conflict``).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Router

from needlerx.accounts.http import request_user
from needlerx.clinical.treatment_reference import (
    adverse_event_reference,
    consent_templates_current,
    exercise_library,
)
from needlerx.patients.selectors import episode_get_for_user
from needlerx.treatments import selectors, services
from needlerx.treatments.models import AdverseEvent, CarePlan, ConsentRecord, TreatmentSession
from needlerx.treatments.schemas import (
    AddendumIn,
    AdverseEventIn,
    AdverseEventOut,
    AlertResolveIn,
    CarePlanIn,
    CarePlanOut,
    CarePlanPatchIn,
    ConsentIn,
    ConsentOut,
    ConsentWithdrawIn,
    FollowUpDueOut,
    FollowUpIn,
    GoalIn,
    GuidanceAcknowledgeIn,
    HomeExerciseIn,
    NeedleCountIn,
    NeedlingIn,
    RationaleIn,
    SafetyCheckIn,
    SessionPatchIn,
    SessionStartIn,
    SignIn,
)
from needlerx.treatments.serializers import care_plan_out, consent_out, event_out, session_out

router = Router(tags=["treatments"])
Created = tuple[int, dict[str, Any]]


# --- reference --------------------------------------------------------------------------------


@router.get("/consent-templates", response=list[dict[str, Any]])
def consent_template_list(request: HttpRequest) -> list[dict[str, Any]]:
    """The current version of each consent template, with sources for every section."""
    return [t.model_dump(mode="json") for t in consent_templates_current()]


@router.get("/exercises", response=dict[str, Any])
def exercise_list(request: HttpRequest) -> dict[str, Any]:
    """The home exercise library with dosages and contraindication tags."""
    return exercise_library().model_dump(mode="json")


@router.get("/adverse-event-types", response=dict[str, Any])
def adverse_event_types(request: HttpRequest) -> dict[str, Any]:
    return adverse_event_reference().model_dump(mode="json")


# --- consent ----------------------------------------------------------------------------------


@router.get("/episodes/{episode_id}/consents", response=list[ConsentOut])
def episode_consents(request: HttpRequest, episode_id: uuid.UUID) -> list[ConsentOut]:
    user = request_user(request)
    records = list(selectors.consents_for_episode(user=user, episode_id=episode_id))
    return [consent_out(record) for record in records]


@router.post("/episodes/{episode_id}/consents", response={201: ConsentOut})
def consent_record(
    request: HttpRequest, episode_id: uuid.UUID, payload: ConsentIn
) -> tuple[int, ConsentOut]:
    user = request_user(request)
    episode = episode_get_for_user(user=user, public_id=episode_id)
    record = services.consent_record(actor=user, episode=episode, **payload.dict())
    return 201, consent_out(record)


@router.post("/consents/{consent_id}/withdraw", response=ConsentOut)
def consent_withdraw(
    request: HttpRequest, consent_id: uuid.UUID, payload: ConsentWithdrawIn
) -> ConsentOut:
    user = request_user(request)
    record: ConsentRecord = selectors.consent_get_for_user(user=user, public_id=consent_id)
    return consent_out(services.consent_withdraw(actor=user, consent=record, reason=payload.reason))


# --- plan of care -----------------------------------------------------------------------------


@router.post("/episodes/{episode_id}/care-plans", response={201: CarePlanOut})
def care_plan_create(
    request: HttpRequest, episode_id: uuid.UUID, payload: CarePlanIn
) -> tuple[int, CarePlanOut]:
    user = request_user(request)
    episode = episode_get_for_user(user=user, public_id=episode_id)
    fields = payload.dict(exclude={"goals"})
    goals = [goal.dict(exclude_none=True) for goal in payload.goals]
    plan = services.care_plan_create(actor=user, episode=episode, goals=goals, **fields)
    return 201, care_plan_out(plan)


@router.get("/care-plans/{plan_id}", response=CarePlanOut)
def care_plan_detail(request: HttpRequest, plan_id: uuid.UUID) -> CarePlanOut:
    plan: CarePlan = selectors.care_plan_get_for_user(user=request_user(request), public_id=plan_id)
    return care_plan_out(plan)


@router.patch("/care-plans/{plan_id}", response=CarePlanOut)
def care_plan_update(
    request: HttpRequest, plan_id: uuid.UUID, payload: CarePlanPatchIn
) -> CarePlanOut:
    user = request_user(request)
    plan = selectors.care_plan_get_for_user(user=user, public_id=plan_id)
    fields = payload.dict(exclude={"expected_version"}, exclude_unset=True)
    updated = services.care_plan_update(
        actor=user, plan=plan, expected_version=payload.expected_version, **fields
    )
    return care_plan_out(updated)


@router.post("/care-plans/{plan_id}/goals", response={201: CarePlanOut})
def care_plan_goal_add(
    request: HttpRequest, plan_id: uuid.UUID, payload: GoalIn
) -> tuple[int, CarePlanOut]:
    user = request_user(request)
    plan = selectors.care_plan_get_for_user(user=user, public_id=plan_id)
    services.care_plan_goal_add(actor=user, plan=plan, goal=payload.dict(exclude_none=True))
    return 201, care_plan_out(selectors.care_plan_get_for_user(user=user, public_id=plan_id))


@router.post("/care-plans/{plan_id}/exercises", response={201: CarePlanOut})
def home_exercise_add(
    request: HttpRequest, plan_id: uuid.UUID, payload: HomeExerciseIn
) -> tuple[int, CarePlanOut]:
    user = request_user(request)
    plan = selectors.care_plan_get_for_user(user=user, public_id=plan_id)
    services.home_exercise_add(actor=user, plan=plan, **payload.dict(exclude_none=True))
    return 201, care_plan_out(selectors.care_plan_get_for_user(user=user, public_id=plan_id))


@router.delete("/home-exercises/{exercise_id}", response={204: None})
def home_exercise_remove(request: HttpRequest, exercise_id: uuid.UUID) -> tuple[int, None]:
    user = request_user(request)
    exercise = selectors.home_exercise_get_for_user(user=user, public_id=exercise_id)
    services.home_exercise_remove(actor=user, exercise=exercise)
    return 204, None


@router.get("/care-plans/{plan_id}/home-exercise-programme", response=dict[str, Any])
def home_exercise_programme(request: HttpRequest, plan_id: uuid.UUID) -> dict[str, Any]:
    """The programme as the patient's printout shows it."""
    user = request_user(request)
    return selectors.home_exercise_programme_for_user(user=user, plan_id=plan_id)


# --- sessions ---------------------------------------------------------------------------------


def _session(request: HttpRequest, session_id: uuid.UUID) -> TreatmentSession:
    return selectors.treatment_session_get_for_user(
        user=request_user(request), public_id=session_id
    )


@router.post("/episodes/{episode_id}/sessions", response={201: dict[str, Any]})
def session_start(request: HttpRequest, episode_id: uuid.UUID, payload: SessionStartIn) -> Created:
    user = request_user(request)
    episode = episode_get_for_user(user=user, public_id=episode_id)
    session = services.treatment_session_start(
        actor=user, episode=episode, started_at=payload.started_at
    )
    return 201, session_out(session)


@router.get("/episodes/{episode_id}/sessions", response=list[dict[str, Any]])
def episode_sessions(request: HttpRequest, episode_id: uuid.UUID) -> list[dict[str, Any]]:
    user = request_user(request)
    sessions = selectors.sessions_for_episode(user=user, episode_id=episode_id)[:100]
    return [
        {"id": str(s.public_id), "started_at": s.started_at.isoformat(), "version": s.version,
         "clinician": s.clinician.get_username(), "signed_at": s.signed_at}
        for s in sessions
    ]  # fmt: skip


@router.get("/sessions/{session_id}", response=dict[str, Any])
def session_detail(request: HttpRequest, session_id: uuid.UUID) -> dict[str, Any]:
    session = _session(request, session_id)
    return session_out(session)


@router.patch("/sessions/{session_id}", response=dict[str, Any])
def session_update(
    request: HttpRequest, session_id: uuid.UUID, payload: SessionPatchIn
) -> dict[str, Any]:
    session = _session(request, session_id)
    fields = payload.dict(exclude={"expected_version"}, exclude_unset=True)
    updated = services.treatment_session_update(
        actor=request_user(request), session=session,
        expected_version=payload.expected_version, **fields,
    )  # fmt: skip
    return session_out(updated)


@router.post("/sessions/{session_id}/safety-check", response=dict[str, Any])
def session_safety_check(
    request: HttpRequest, session_id: uuid.UUID, payload: SafetyCheckIn
) -> dict[str, Any]:
    session = _session(request, session_id)
    updated = services.treatment_session_safety_check(
        actor=request_user(request), session=session,
        plan=[entry.dict() for entry in payload.plan], rationales=payload.rationales,
        expected_version=payload.expected_version,
    )  # fmt: skip
    return session_out(updated)


@router.post("/sessions/{session_id}/precaution-rationale", response=dict[str, Any])
def session_rationale(
    request: HttpRequest, session_id: uuid.UUID, payload: RationaleIn
) -> dict[str, Any]:
    updated = services.treatment_session_precaution_rationale(
        actor=request_user(request), session=_session(request, session_id), **payload.dict()
    )
    return session_out(updated)


@router.post("/sessions/{session_id}/guidance-acknowledgement", response={201: dict[str, Any]})
def guidance_acknowledge(
    request: HttpRequest, session_id: uuid.UUID, payload: GuidanceAcknowledgeIn
) -> Created:
    """Acknowledge the re-check's technique guidance once for the whole episode."""
    services.technique_guidance_acknowledge(
        actor=request_user(request), session=_session(request, session_id), **payload.dict()
    )
    return 201, session_out(_session(request, session_id))


@router.get("/sessions/{session_id}/seal", response=dict[str, Any])
def session_seal(request: HttpRequest, session_id: uuid.UUID) -> dict[str, Any]:
    """Recompute the seal of a signed note and say whether it is intact."""
    return selectors.note_seal_verify_for_user(user=request_user(request), session_id=session_id)


@router.post("/sessions/{session_id}/needling", response={201: dict[str, Any]})
def needling_add(request: HttpRequest, session_id: uuid.UUID, payload: NeedlingIn) -> Created:
    session = _session(request, session_id)
    services.needling_entry_add(actor=request_user(request), session=session, **payload.dict())
    return 201, session_out(_session(request, session_id))


@router.delete("/needling-entries/{entry_id}", response=dict[str, Any])
def needling_remove(request: HttpRequest, entry_id: uuid.UUID) -> dict[str, Any]:
    user = request_user(request)
    entry = selectors.needling_entry_get_for_user(user=user, public_id=entry_id)
    session_id = entry.session.public_id
    services.needling_entry_remove(actor=user, entry=entry)
    return session_out(_session(request, session_id))


@router.post("/sessions/{session_id}/needle-count", response=dict[str, Any])
def needle_count(
    request: HttpRequest, session_id: uuid.UUID, payload: NeedleCountIn
) -> dict[str, Any]:
    session = _session(request, session_id)
    updated = services.treatment_session_needle_count(
        actor=request_user(request), session=session, **payload.dict()
    )
    return session_out(updated)


@router.post("/safety-alerts/{alert_id}/resolve", response=dict[str, Any])
def safety_alert_resolve(
    request: HttpRequest, alert_id: uuid.UUID, payload: AlertResolveIn
) -> dict[str, Any]:
    user = request_user(request)
    alert = selectors.safety_alert_get_for_user(user=user, public_id=alert_id)
    services.safety_alert_resolve(actor=user, alert=alert, **payload.dict())
    return session_out(_session(request, alert.session.public_id))


@router.post("/sessions/{session_id}/sign", response=dict[str, Any])
def session_sign(request: HttpRequest, session_id: uuid.UUID, payload: SignIn) -> dict[str, Any]:
    session = _session(request, session_id)
    signed = services.treatment_session_sign(
        actor=request_user(request), session=session, expected_version=payload.expected_version
    )
    return session_out(signed)


@router.post("/sessions/{session_id}/addenda", response={201: dict[str, Any]})
def addendum_add(request: HttpRequest, session_id: uuid.UUID, payload: AddendumIn) -> Created:
    session = _session(request, session_id)
    services.treatment_session_addendum_add(
        actor=request_user(request), session=session, text=payload.text
    )
    return 201, session_out(_session(request, session_id))


@router.get("/sessions/{session_id}/billing", response=dict[str, Any])
def session_billing(request: HttpRequest, session_id: uuid.UUID) -> dict[str, Any]:
    user = request_user(request)
    return selectors.treatment_session_billing_for_user(user=user, session_id=session_id)


# --- adverse events and follow-ups -----------------------------------------------------------


@router.post("/sessions/{session_id}/adverse-events", response={201: AdverseEventOut})
def adverse_event_record(
    request: HttpRequest, session_id: uuid.UUID, payload: AdverseEventIn
) -> tuple[int, AdverseEventOut]:
    session = _session(request, session_id)
    event = services.adverse_event_record(
        actor=request_user(request), session=session, **payload.dict()
    )
    return 201, event_out(event)


@router.get("/episodes/{episode_id}/adverse-events", response=list[AdverseEventOut])
def episode_adverse_events(request: HttpRequest, episode_id: uuid.UUID) -> list[AdverseEventOut]:
    events: list[AdverseEvent] = list(
        selectors.adverse_events_for_episode(user=request_user(request), episode_id=episode_id)
    )
    return [event_out(event) for event in events]


@router.post("/sessions/{session_id}/follow-ups", response={201: dict[str, Any]})
def follow_up_record(request: HttpRequest, session_id: uuid.UUID, payload: FollowUpIn) -> Created:
    session = _session(request, session_id)
    record = services.follow_up_record(
        actor=request_user(request), session=session, **payload.dict()
    )
    answer = {"id": str(record.public_id), "session_id": str(session.public_id),
              "outcome": record.outcome,
              "contacted_at": record.contacted_at.isoformat()}  # fmt: skip
    return 201, answer


@router.get("/follow-ups/due", response=list[FollowUpDueOut])
def follow_ups_due(request: HttpRequest, include_upcoming: bool = False) -> list[FollowUpDueOut]:
    """Needling sessions in your clinics whose 24-72 h follow-up is due or overdue."""
    user = request_user(request)
    due = selectors.followups_due_for_user(user=user, include_upcoming=include_upcoming)
    return [
        FollowUpDueOut(
            session_id=item.session.public_id,
            patient_id=item.session.patient.public_id,
            patient_name=item.session.patient.full_name,
            clinic=item.session.clinic.name,
            clinician=item.session.clinician.get_username(),
            needled_at=item.session.started_at,
            status=item.status,
            due_from=item.due_from,
            due_by=item.due_by,
            attempts=item.attempts,
        )
        for item in due
    ]
