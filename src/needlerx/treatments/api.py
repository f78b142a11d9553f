"""Thin treatment endpoints: parse, call a selector or service, shape the answer.

Writes to a draft note take ``expected_version``; a stale one answers 409 (code ``conflict``).
"""

from __future__ import annotations

import uuid

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from needlerx.accounts.http import request_user
from needlerx.accounts.models import User
from needlerx.clinical.treatment_reference import (
    AdverseEventReference,
    ConsentTemplate,
    ExerciseLibrary,
    adverse_event_reference,
    consent_templates_current,
    exercise_library,
)
from needlerx.core.pages import PageQuery, page_number, page_of
from needlerx.core.responses import BAD_REQUEST, CONFLICT, NOT_FOUND, errors
from needlerx.patients.selectors import episode_get_for_user
from needlerx.treatments import selectors, services
from needlerx.treatments.models import AdverseEvent, CarePlan, ConsentRecord, TreatmentSession
from needlerx.treatments.responses import (
    AdverseEventOut,
    AdverseEventReferenceOut,
    BillingSuggestionOut,
    CarePlanOut,
    ConsentOut,
    ConsentTemplateOut,
    ExerciseLibraryOut,
    FollowUpDueOut,
    FollowUpDuePage,
    FollowUpOut,
    ProgrammeOut,
    SealCheckOut,
    SessionNoteOut,
    SessionSummaryOut,
    SessionSummaryPage,
)
from needlerx.treatments.schemas import (
    AddendumIn,
    AdverseEventIn,
    AlertResolveIn,
    CarePlanIn,
    CarePlanPatchIn,
    ConsentIn,
    ConsentWithdrawIn,
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
    TakeOverIn,
)
from needlerx.treatments.selectors.followups import FOLLOW_UPS_PER_PAGE, FollowUpDue
from needlerx.treatments.serializers import care_plan_out, consent_out, event_out, session_out

router = Router(tags=["treatments"])
# What a route about one record may answer besides success: bad input or a rule refusing the
# action (400), no such record for you (404); writes to a draft note or plan also 409 (stale).
ONE_RECORD = errors(BAD_REQUEST, NOT_FOUND)
VERSIONED_WRITE = errors(BAD_REQUEST, NOT_FOUND, CONFLICT)


# --- reference --------------------------------------------------------------------------------


@router.get("/consent-templates", response={200: list[ConsentTemplateOut], **errors()})
def consent_template_list(request: HttpRequest) -> list[ConsentTemplate]:
    """The current version of each consent template, with sources for every section."""
    return list(consent_templates_current())


@router.get("/exercises", response={200: ExerciseLibraryOut, **errors()})
def exercise_list(request: HttpRequest) -> ExerciseLibrary:
    """The home exercise library with dosages and contraindication tags."""
    return exercise_library()


@router.get("/adverse-event-types", response={200: AdverseEventReferenceOut, **errors()})
def adverse_event_types(request: HttpRequest) -> AdverseEventReference:
    return adverse_event_reference()


# --- consent ----------------------------------------------------------------------------------


@router.get("/episodes/{episode_id}/consents", response={200: list[ConsentOut], **ONE_RECORD})
def episode_consents(request: HttpRequest, episode_id: uuid.UUID) -> list[ConsentOut]:
    user = request_user(request)
    records = list(selectors.consents_for_episode(user=user, episode_id=episode_id))
    return [consent_out(record) for record in records]


@router.post("/episodes/{episode_id}/consents", response={201: ConsentOut, **ONE_RECORD})
def consent_record(
    request: HttpRequest, episode_id: uuid.UUID, payload: ConsentIn
) -> Status[ConsentOut]:
    user = request_user(request)
    episode = episode_get_for_user(user=user, public_id=episode_id)
    record = services.consent_record(actor=user, episode=episode, **payload.dict())
    return Status(201, consent_out(record))


@router.post("/consents/{consent_id}/withdraw", response={200: ConsentOut, **ONE_RECORD})
def consent_withdraw(
    request: HttpRequest, consent_id: uuid.UUID, payload: ConsentWithdrawIn
) -> ConsentOut:
    user = request_user(request)
    record: ConsentRecord = selectors.consent_get_for_user(user=user, public_id=consent_id)
    return consent_out(services.consent_withdraw(actor=user, consent=record, reason=payload.reason))


# --- plan of care -----------------------------------------------------------------------------


def _plan(user: User, plan_id: uuid.UUID) -> CarePlanOut:
    return care_plan_out(selectors.care_plan_get_for_user(user=user, public_id=plan_id))


@router.post("/episodes/{episode_id}/care-plans", response={201: CarePlanOut, **ONE_RECORD})
def care_plan_create(
    request: HttpRequest, episode_id: uuid.UUID, payload: CarePlanIn
) -> Status[CarePlanOut]:
    user = request_user(request)
    episode = episode_get_for_user(user=user, public_id=episode_id)
    fields = payload.dict(exclude={"goals"})
    goals = [goal.dict(exclude_none=True) for goal in payload.goals]
    plan = services.care_plan_create(actor=user, episode=episode, goals=goals, **fields)
    return Status(201, care_plan_out(plan))


@router.get("/care-plans/{plan_id}", response={200: CarePlanOut, **ONE_RECORD})
def care_plan_detail(request: HttpRequest, plan_id: uuid.UUID) -> CarePlanOut:
    plan: CarePlan = selectors.care_plan_get_for_user(user=request_user(request), public_id=plan_id)
    return care_plan_out(plan)


@router.patch("/care-plans/{plan_id}", response={200: CarePlanOut, **VERSIONED_WRITE})
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


@router.post("/care-plans/{plan_id}/goals", response={201: CarePlanOut, **ONE_RECORD})
def care_plan_goal_add(
    request: HttpRequest, plan_id: uuid.UUID, payload: GoalIn
) -> Status[CarePlanOut]:
    user = request_user(request)
    plan = selectors.care_plan_get_for_user(user=user, public_id=plan_id)
    services.care_plan_goal_add(actor=user, plan=plan, goal=payload.dict(exclude_none=True))
    return Status(201, _plan(user, plan_id))


@router.post("/care-plans/{plan_id}/exercises", response={201: CarePlanOut, **ONE_RECORD})
def home_exercise_add(
    request: HttpRequest, plan_id: uuid.UUID, payload: HomeExerciseIn
) -> Status[CarePlanOut]:
    user = request_user(request)
    plan = selectors.care_plan_get_for_user(user=user, public_id=plan_id)
    services.home_exercise_add(actor=user, plan=plan, **payload.dict(exclude_none=True))
    return Status(201, _plan(user, plan_id))


@router.delete("/home-exercises/{exercise_id}", response={204: None, **ONE_RECORD})
def home_exercise_remove(request: HttpRequest, exercise_id: uuid.UUID) -> Status[None]:
    user = request_user(request)
    exercise = selectors.home_exercise_get_for_user(user=user, public_id=exercise_id)
    services.home_exercise_remove(actor=user, exercise=exercise)
    return Status(204, None)


@router.get(
    "/care-plans/{plan_id}/home-exercise-programme", response={200: ProgrammeOut, **ONE_RECORD}
)
def home_exercise_programme(request: HttpRequest, plan_id: uuid.UUID) -> ProgrammeOut:
    """The programme as the patient's printout shows it."""
    user = request_user(request)
    programme = selectors.home_exercise_programme_for_user(user=user, plan_id=plan_id)
    return ProgrammeOut.model_validate(programme)


# --- sessions ---------------------------------------------------------------------------------


def _session(request: HttpRequest, session_id: uuid.UUID) -> TreatmentSession:
    return selectors.treatment_session_get_for_user(
        user=request_user(request), public_id=session_id
    )


def _note(session: TreatmentSession) -> SessionNoteOut:
    return SessionNoteOut.model_validate(session_out(session))


@router.post("/episodes/{episode_id}/sessions", response={201: SessionNoteOut, **ONE_RECORD})
def session_start(
    request: HttpRequest, episode_id: uuid.UUID, payload: SessionStartIn
) -> Status[SessionNoteOut]:
    user = request_user(request)
    episode = episode_get_for_user(user=user, public_id=episode_id)
    session = services.treatment_session_start(
        actor=user,
        episode=episode,
        started_at=payload.started_at,
        note_type=payload.note_type,
        carry_forward=payload.carry_forward,
    )
    return Status(201, _note(session))


# What a session's summary shows: reading the whole note (its sealed copy above all) for it cost
# PostgreSQL 7 ms for an episode of eight sessions.
SESSION_SUMMARY_FIELDS = ("public_id", "started_at", "version", "signed_at", "clinician__username")
SESSIONS_PER_PAGE_MAX = 200


@router.get("/episodes/{episode_id}/sessions", response={200: SessionSummaryPage, **ONE_RECORD})
def episode_sessions(
    request: HttpRequest, episode_id: uuid.UUID, query: Query[PageQuery]
) -> SessionSummaryPage:
    """The episode's sessions, newest first, a page at a time (``page_size`` up to 200) with
    ``count``, how many there are in all."""
    user = request_user(request)
    sessions = (
        selectors.sessions_for_episode(user=user, episode_id=episode_id)
        .select_related(None)
        .select_related("clinician")
        .only(*SESSION_SUMMARY_FIELDS)
    )
    count, shown = page_of(sessions, query, largest=SESSIONS_PER_PAGE_MAX)
    return SessionSummaryPage(
        count=count,
        results=[
            SessionSummaryOut.model_validate(
                {
                    "id": s.public_id,
                    "started_at": s.started_at.isoformat(),
                    "version": s.version,
                    "clinician": s.clinician.get_username(),
                    "signed_at": s.signed_at,
                }
            )
            for s in shown
        ],
    )


@router.get("/sessions/{session_id}", response={200: SessionNoteOut, **ONE_RECORD})
def session_detail(request: HttpRequest, session_id: uuid.UUID) -> SessionNoteOut:
    session = _session(request, session_id)
    return _note(session)


@router.patch("/sessions/{session_id}", response={200: SessionNoteOut, **VERSIONED_WRITE})
def session_update(
    request: HttpRequest, session_id: uuid.UUID, payload: SessionPatchIn
) -> SessionNoteOut:
    session = _session(request, session_id)
    fields = payload.dict(exclude={"expected_version"}, exclude_unset=True)
    updated = services.treatment_session_update(
        actor=request_user(request),
        session=session,
        expected_version=payload.expected_version,
        **fields,
    )
    return _note(updated)


@router.post(
    "/sessions/{session_id}/safety-check", response={200: SessionNoteOut, **VERSIONED_WRITE}
)
def session_safety_check(
    request: HttpRequest, session_id: uuid.UUID, payload: SafetyCheckIn
) -> SessionNoteOut:
    session = _session(request, session_id)
    updated = services.treatment_session_safety_check(
        actor=request_user(request),
        session=session,
        plan=[entry.dict() for entry in payload.plan],
        rationales=payload.rationales,
        expected_version=payload.expected_version,
    )
    return _note(updated)


@router.post(
    "/sessions/{session_id}/precaution-rationale",
    response={200: SessionNoteOut, **VERSIONED_WRITE},
)
def session_rationale(
    request: HttpRequest, session_id: uuid.UUID, payload: RationaleIn
) -> SessionNoteOut:
    updated = services.treatment_session_precaution_rationale(
        actor=request_user(request), session=_session(request, session_id), **payload.dict()
    )
    return _note(updated)


@router.post(
    "/sessions/{session_id}/guidance-acknowledgement",
    response={201: SessionNoteOut, **VERSIONED_WRITE},
)
def guidance_acknowledge(
    request: HttpRequest, session_id: uuid.UUID, payload: GuidanceAcknowledgeIn
) -> Status[SessionNoteOut]:
    """Acknowledge the re-check's technique guidance once for the whole episode."""
    services.technique_guidance_acknowledge(
        actor=request_user(request), session=_session(request, session_id), **payload.dict()
    )
    return Status(201, _note(_session(request, session_id)))


@router.get("/sessions/{session_id}/seal", response={200: SealCheckOut, **ONE_RECORD})
def session_seal(request: HttpRequest, session_id: uuid.UUID) -> SealCheckOut:
    """Recompute the seal of a signed note and say whether it is intact."""
    verdict = selectors.note_seal_verify_for_user(user=request_user(request), session_id=session_id)
    return SealCheckOut.model_validate(verdict)


@router.post("/sessions/{session_id}/needling", response={201: SessionNoteOut, **VERSIONED_WRITE})
def needling_add(
    request: HttpRequest, session_id: uuid.UUID, payload: NeedlingIn
) -> Status[SessionNoteOut]:
    session = _session(request, session_id)
    services.needling_entry_add(actor=request_user(request), session=session, **payload.dict())
    return Status(201, _note(_session(request, session_id)))


@router.delete("/needling-entries/{entry_id}", response={200: SessionNoteOut, **ONE_RECORD})
def needling_remove(request: HttpRequest, entry_id: uuid.UUID) -> SessionNoteOut:
    user = request_user(request)
    entry = selectors.needling_entry_get_for_user(user=user, public_id=entry_id)
    session_id = entry.session.public_id
    services.needling_entry_remove(actor=user, entry=entry)
    return _note(_session(request, session_id))


@router.post(
    "/sessions/{session_id}/needle-count", response={200: SessionNoteOut, **VERSIONED_WRITE}
)
def needle_count(
    request: HttpRequest, session_id: uuid.UUID, payload: NeedleCountIn
) -> SessionNoteOut:
    session = _session(request, session_id)
    updated = services.treatment_session_needle_count(
        actor=request_user(request), session=session, **payload.dict()
    )
    return _note(updated)


@router.post("/safety-alerts/{alert_id}/resolve", response={200: SessionNoteOut, **ONE_RECORD})
def safety_alert_resolve(
    request: HttpRequest, alert_id: uuid.UUID, payload: AlertResolveIn
) -> SessionNoteOut:
    user = request_user(request)
    alert = selectors.safety_alert_get_for_user(user=user, public_id=alert_id)
    services.safety_alert_resolve(actor=user, alert=alert, **payload.dict())
    return _note(_session(request, alert.session.public_id))


@router.post("/sessions/{session_id}/sign", response={200: SessionNoteOut, **VERSIONED_WRITE})
def session_sign(request: HttpRequest, session_id: uuid.UUID, payload: SignIn) -> SessionNoteOut:
    session = _session(request, session_id)
    signed = services.treatment_session_sign(
        actor=request_user(request), session=session, expected_version=payload.expected_version
    )
    return _note(signed)


@router.post("/sessions/{session_id}/take-over", response={200: SessionNoteOut, **VERSIONED_WRITE})
def session_take_over(
    request: HttpRequest, session_id: uuid.UUID, payload: TakeOverIn
) -> SessionNoteOut:
    """Become the clinician writing a colleague's draft note (audited as a take-over)."""
    session = _session(request, session_id)
    taken = services.treatment_session_take_over(
        actor=request_user(request), session=session, expected_version=payload.expected_version
    )
    return _note(taken)


@router.post("/sessions/{session_id}/addenda", response={201: SessionNoteOut, **ONE_RECORD})
def addendum_add(
    request: HttpRequest, session_id: uuid.UUID, payload: AddendumIn
) -> Status[SessionNoteOut]:
    session = _session(request, session_id)
    services.treatment_session_addendum_add(
        actor=request_user(request), session=session, text=payload.text
    )
    return Status(201, _note(_session(request, session_id)))


@router.get("/sessions/{session_id}/billing", response={200: BillingSuggestionOut, **ONE_RECORD})
def session_billing(request: HttpRequest, session_id: uuid.UUID) -> BillingSuggestionOut:
    user = request_user(request)
    suggestion = selectors.treatment_session_billing_for_user(user=user, session_id=session_id)
    return BillingSuggestionOut.model_validate(suggestion)


# --- adverse events and follow-ups -----------------------------------------------------------


@router.post("/sessions/{session_id}/adverse-events", response={201: AdverseEventOut, **ONE_RECORD})
def adverse_event_record(
    request: HttpRequest, session_id: uuid.UUID, payload: AdverseEventIn
) -> Status[AdverseEventOut]:
    session = _session(request, session_id)
    event = services.adverse_event_record(
        actor=request_user(request), session=session, **payload.dict()
    )
    return Status(201, event_out(event))


@router.get(
    "/episodes/{episode_id}/adverse-events", response={200: list[AdverseEventOut], **ONE_RECORD}
)
def episode_adverse_events(request: HttpRequest, episode_id: uuid.UUID) -> list[AdverseEventOut]:
    events: list[AdverseEvent] = list(
        selectors.adverse_events_for_episode(user=request_user(request), episode_id=episode_id)
    )
    return [event_out(event) for event in events]


@router.post("/sessions/{session_id}/follow-ups", response={201: FollowUpOut, **ONE_RECORD})
def follow_up_record(
    request: HttpRequest, session_id: uuid.UUID, payload: FollowUpIn
) -> Status[FollowUpOut]:
    session = _session(request, session_id)
    record = services.follow_up_record(
        actor=request_user(request), session=session, **payload.dict()
    )
    return Status(
        201,
        FollowUpOut.model_validate(
            {
                "id": record.public_id,
                "session_id": session.public_id,
                "outcome": record.outcome,
                "contacted_at": record.contacted_at.isoformat(),
            }
        ),
    )


class FollowUpsDueQuery(Schema):
    include_upcoming: bool = False
    page: int = 1
    page_size: int = FOLLOW_UPS_PER_PAGE


@router.get("/follow-ups/due", response={200: FollowUpDuePage, **errors(BAD_REQUEST)})
def follow_ups_due(request: HttpRequest, query: Query[FollowUpsDueQuery]) -> FollowUpDuePage:
    """Needling sessions in your clinics whose 24-72 h follow-up is due or overdue, oldest first,
    a page at a time (``page_size`` up to 100) with ``count``, how many are due in all."""
    due = selectors.followups_due_page_for_user(
        user=request_user(request),
        page=page_number(query.page),
        per_page=query.page_size,
        include_upcoming=query.include_upcoming,
    )
    return FollowUpDuePage(count=due.total, results=[_follow_up_due_out(i) for i in due.items])


def _follow_up_due_out(item: FollowUpDue) -> FollowUpDueOut:
    return FollowUpDueOut.model_validate(
        {
            "session_id": item.session.public_id,
            "patient_id": item.session.patient.public_id,
            "patient_name": item.session.patient.full_name,
            "clinic": item.session.clinic_name,
            "clinician": item.session.clinician_username,
            "needled_at": item.session.started_at,
            "status": item.status,
            "due_from": item.due_from,
            "due_by": item.due_by,
            "attempts": item.attempts,
        }
    )
