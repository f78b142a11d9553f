"""Reads of treatment records. Each takes the requesting user and goes through the patient's
access check, so another clinic's record is "not found" and front desk is refused."""

from __future__ import annotations

import uuid
from typing import Any, TypeVar

from django.db.models import Model, QuerySet

from needlerx.accounts.models import User
from needlerx.accounts.selectors import require_permission
from needlerx.core.errors import NotFound
from needlerx.core.prepared import ByPublicId
from needlerx.patients.models import Episode, Patient
from needlerx.patients.selectors import (
    episode_get_for_user,
    patient_access_check,
    record_shown,
    require_same_patient,
)
from needlerx.treatments.models import (
    AdverseEvent,
    CarePlan,
    ConsentRecord,
    HomeExercise,
    NeedlingEntry,
    SafetyAlert,
    TreatmentSession,
)

VIEW = "treatment.view"
ModelT = TypeVar("ModelT", bound=Model)


def _get(
    records: ByPublicId[ModelT],
    public_id: uuid.UUID | str,
    *,
    user: User,
    what: str,
    patient_of: Any,
    permission: str,
    patient_id: uuid.UUID | str | None = None,
) -> ModelT:
    record = records.get(public_id)
    if record is None:
        raise NotFound(f"No such {what}.")
    patient: Patient = patient_of(record)
    try:
        patient_access_check(user=user, patient=patient, permission=permission)
    except NotFound:
        raise NotFound(f"No such {what}.") from None
    require_same_patient(patient=patient, patient_id=patient_id, what=what)
    record_shown(user=user, patient=patient, obj=record)
    return record


# Each record by its public id, prepared once (core.prepared): every page of a session, a plan
# or a consent reads it first.
_SESSION = ByPublicId(
    TreatmentSession.objects.select_related(
        "episode",
        "patient__clinic",
        "clinician",
        "signed_by",
        "safety_screen__stored_result",
    )
)
_CONSENT = ByPublicId(
    ConsentRecord.objects.select_related("episode", "patient__clinic", "recorded_by")
)
_CARE_PLAN = ByPublicId(CarePlan.objects.select_related("episode__patient__clinic", "author"))
_HOME_EXERCISE = ByPublicId(HomeExercise.objects.select_related("plan__episode__patient__clinic"))
_NEEDLING_ENTRY = ByPublicId(
    NeedlingEntry.objects.select_related("session__patient__clinic", "session__clinic")
)
_SAFETY_ALERT = ByPublicId(
    SafetyAlert.objects.select_related("session__patient__clinic", "session__clinic")
)


def treatment_session_get_for_user(
    *,
    user: User,
    public_id: uuid.UUID | str,
    permission: str = VIEW,
    patient_id: uuid.UUID | str | None = None,
) -> TreatmentSession:
    session = _get(
        _SESSION,
        public_id,
        user=user,
        what="session",
        permission=permission,
        patient_of=lambda s: s.patient,
        patient_id=patient_id,
    )
    return _with_its_patient_and_clinic(session)


def _with_its_patient_and_clinic(session: TreatmentSession) -> TreatmentSession:
    """The session's clinic and its episode's patient are the patient and clinic already read
    with it: joined once, not three times (the extra joins of whole rows cost each note page 0.3
    to 0.4 ms to compile and read). One that is another record is read when it is used."""
    patient = session.patient
    if session.clinic_id == patient.clinic_id:
        session.clinic = patient.clinic
    if session.episode.patient_id == patient.pk:
        session.episode.patient = patient
    return session


def consent_get_for_user(
    *, user: User, public_id: uuid.UUID | str, permission: str = VIEW
) -> ConsentRecord:
    return _get(
        _CONSENT,
        public_id,
        user=user,
        what="consent",
        permission=permission,
        patient_of=lambda c: c.patient,
    )


def care_plan_get_for_user(
    *,
    user: User,
    public_id: uuid.UUID | str,
    permission: str = VIEW,
    patient_id: uuid.UUID | str | None = None,
) -> CarePlan:
    return _get(
        _CARE_PLAN,
        public_id,
        user=user,
        what="plan of care",
        permission=permission,
        patient_of=lambda p: p.episode.patient,
        patient_id=patient_id,
    )


def home_exercise_get_for_user(
    *, user: User, public_id: uuid.UUID | str, permission: str = VIEW
) -> HomeExercise:
    return _get(
        _HOME_EXERCISE,
        public_id,
        user=user,
        what="exercise",
        permission=permission,
        patient_of=lambda e: e.plan.episode.patient,
    )


def needling_entry_get_for_user(
    *, user: User, public_id: uuid.UUID | str, permission: str = VIEW
) -> NeedlingEntry:
    return _get(
        _NEEDLING_ENTRY,
        public_id,
        user=user,
        what="needling entry",
        permission=permission,
        patient_of=lambda e: e.session.patient,
    )


def safety_alert_get_for_user(
    *, user: User, public_id: uuid.UUID | str, permission: str = VIEW
) -> SafetyAlert:
    return _get(
        _SAFETY_ALERT,
        public_id,
        user=user,
        what="safety alert",
        permission=permission,
        patient_of=lambda a: a.session.patient,
    )


def consents_for_episode(*, user: User, episode_id: uuid.UUID | str) -> QuerySet[ConsentRecord]:
    episode = episode_get_for_user(user=user, public_id=episode_id, permission=VIEW)
    record_shown(user=user, patient=episode.patient, obj=episode, what="consents")
    return ConsentRecord.objects.filter(episode=episode).select_related("episode", "recorded_by")


def care_plans_for_episode(*, user: User, episode_id: uuid.UUID | str) -> QuerySet[CarePlan]:
    episode = episode_get_for_user(user=user, public_id=episode_id, permission=VIEW)
    return care_plans_of(user=user, episode=episode)


def care_plans_of(*, user: User, episode: Episode) -> QuerySet[CarePlan]:
    """The plans of an episode a selector has already given ``user`` (a page that read the
    episode once), with their episode, patient, clinic and author joined and their goals and
    exercises read with them; the permission is checked here too, from the request's roles."""
    require_permission(user=user, clinic=episode.patient.clinic, permission=VIEW)
    record_shown(user=user, patient=episode.patient, obj=episode, what="care_plans")
    return (
        CarePlan.objects.filter(episode=episode)
        .select_related("episode__patient__clinic", "author")
        .prefetch_related("goals", "exercises")
    )


def sessions_for_episode(*, user: User, episode_id: uuid.UUID | str) -> QuerySet[TreatmentSession]:
    episode = episode_get_for_user(user=user, public_id=episode_id, permission=VIEW)
    record_shown(user=user, patient=episode.patient, obj=episode, what="sessions")
    return TreatmentSession.objects.filter(episode=episode).select_related(
        "episode",
        "patient",
        "clinic",
        "clinician",
        "signed_by",
        "safety_screen__stored_result",
    )


def adverse_events_for_episode(
    *, user: User, episode_id: uuid.UUID | str
) -> QuerySet[AdverseEvent]:
    episode = episode_get_for_user(user=user, public_id=episode_id, permission=VIEW)
    record_shown(user=user, patient=episode.patient, obj=episode, what="adverse_events")
    return AdverseEvent.objects.filter(session__episode=episode).select_related(
        "session", "needling_entry", "recorded_by"
    )
