"""Small builders for treatment tests: a consented episode and a session ready for needling."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Min
from django.utils import timezone

from needlerx.accounts.models import User
from needlerx.clinical.reference import fact_catalogue, red_flags, required_answers
from needlerx.patients.models import Episode, Patient
from needlerx.patients.selectors import patient_screening_facts
from needlerx.patients.services import history_fact_record
from needlerx.treatments import services
from needlerx.treatments.models import (
    FOLLOW_UP_MADE_OUTCOMES,
    ConsentRecord,
    FollowUp,
    NeedledSession,
    NeedlingEntry,
    TreatmentSession,
)
from needlerx.treatments.recheck import findings_needing_rationale, guidance_items
from needlerx.treatments.services.gates import guidance_acknowledged

UPPER_TRAPEZIUS = {"muscle": "upper_trapezius", "side": "left", "technique": "static"}
MULTIFIDUS = {"muscle": "lumbar_multifidus", "side": "right", "technique": "static"}


def answer_required_questions(
    actor: User, patient: Patient, unanswered: tuple[str, ...] = (), **answers: Any
) -> None:
    """Record what a clinician asks before needling: ``answers`` as given, then "No" (sites:
    none) to every always-required question and red flag still unanswered but ``unanswered``,
    so the screen is not incomplete. A test names only the facts it is about."""
    for fact, value in answers.items():
        history_fact_record(actor=actor, patient=patient, fact=fact, value=value)
    catalogue = fact_catalogue()
    recorded = patient_screening_facts(patient=patient, on=timezone.localdate())
    questions = set(required_answers().always) | {flag.fact for flag in red_flags()}
    for fact in sorted(questions - set(recorded) - set(unanswered)):
        if catalogue[fact].kind in ("boolean", "sites"):
            value = [] if catalogue[fact].kind == "sites" else False
            history_fact_record(actor=actor, patient=patient, fact=fact, value=value)


def consent(
    actor: User, episode: Episode, template_id: str = "dry_needling_general", **fields: Any
) -> ConsentRecord:
    values = {
        "signer_name": "Pat Example",
        "signature_kind": "typed",
        "signature_data": "Pat Example",
        **fields,
    }
    return services.consent_record(actor=actor, episode=episode, template_id=template_id, **values)


def checked_session(
    actor: User,
    episode: Episode,
    plan: list[dict[str, str]] | None = None,
    rationale: str = "Bolster under the shoulder; pincer grip; needle angled away from the lung.",
) -> TreatmentSession:
    answer_required_questions(actor, episode.patient)
    session = services.treatment_session_start(actor=actor, episode=episode)
    session = services.treatment_session_safety_check(
        actor=actor, session=session, plan=plan or [UPPER_TRAPEZIUS]
    )
    lacking = [
        rule_id
        for rule_id in findings_needing_rationale(session.safety_result)
        if rule_id not in session.finding_rationales
    ]
    if lacking and rationale:
        session = services.treatment_session_precaution_rationale(
            actor=actor, session=session, rationales=dict.fromkeys(lacking, rationale)
        )
    if set(guidance_items(session.safety_result)) - guidance_acknowledged(session):
        services.technique_guidance_acknowledge(actor=actor, session=session)
        session = TreatmentSession.objects.get(pk=session.pk)
    return session


def needle(
    actor: User, session: TreatmentSession, entry: dict[str, str] | None = None, **fields: Any
) -> NeedlingEntry:
    values = {
        "needle_gauge_mm": 0.25,
        "needle_length_mm": 30,
        "max_depth_mm": 15,
        "insertions": 4,
        "needles": 2,
        "local_twitch_responses": 2,
        "duration_seconds": 60,
        **(entry or UPPER_TRAPEZIUS),
        **fields,
    }
    return services.needling_entry_add(actor=actor, session=session, **values)


AFTERCARE = ["soreness_expected", "pneumothorax_safety_net", "contact_clinic"]


def sign(actor: User, session: TreatmentSession, **response: Any) -> TreatmentSession:
    """Count every needle back, record the aftercare given (and ``response``: the assessment,
    pain after...) and sign the note."""
    used = sum(entry.needles or 0 for entry in session.needling_entries.all())
    session = services.treatment_session_needle_count(
        actor=actor, session=session, needles_used=used, needles_removed=used
    )
    session = services.treatment_session_update(
        actor=actor,
        session=session,
        expected_version=session.version,
        aftercare_given=AFTERCARE,
        **response,
    )
    return services.treatment_session_sign(
        actor=actor, session=session, expected_version=session.version
    )


def fresh(session: TreatmentSession) -> TreatmentSession:
    return TreatmentSession.objects.get(pk=session.pk)


def move_start(session: TreatmentSession, started_at: dt.datetime) -> None:
    """Move a draft session's start, as if it had begun then (a test's clock), with its place
    in the list of needled sessions."""
    TreatmentSession.objects.filter(pk=session.pk).update(started_at=started_at)
    NeedledSession.objects.filter(session=session).update(started_at=started_at)


NeedledRow = tuple[int, int, dt.datetime, dt.datetime | None]


def needled_sessions_from_entries() -> dict[int, NeedledRow]:
    """Every session with a needling entry, by id: (clinic, clinician, start, first completed
    follow-up), worked out from the entries and follow-ups themselves."""
    made = dict(
        FollowUp.objects.filter(outcome__in=FOLLOW_UP_MADE_OUTCOMES)
        .values("session")
        .annotate(first=Min("contacted_at"))
        .values_list("session", "first")
    )
    sessions = TreatmentSession.objects.filter(needling_entries__isnull=False).distinct()
    return {
        s.pk: (s.clinic_id, s.clinician_id, s.started_at, made.get(s.pk))
        for s in sessions.only("clinic", "clinician", "started_at")
    }


def needled_sessions_listed() -> dict[int, NeedledRow]:
    """The list of needled sessions as stored (``NeedledSession``), in the same shape."""
    return {
        row.session_id: (row.clinic_id, row.clinician_id, row.started_at, row.follow_up_made_at)
        for row in NeedledSession.objects.all()
    }
