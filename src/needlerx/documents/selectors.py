"""The documents a clinic hands over, read for the requesting user and audited as exports.

Each document is read through the selectors of the records it shows (they check the user's
permission in the patient's clinic, answer "not found" for another clinic's record, and record the
read); once the PDF is made (``render.document_pdf``) the export itself is recorded: one
``document.export`` event naming the patient, the record and the kind of document. That event
names the patient, so the request adds no separate view event (audit/reads.py).

A note that is not signed is not printed: a draft can still change, so a paper copy would not
match the record, and a draft on paper is easily taken for the signed note (docs/documents.md).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Model
from django.utils.text import slugify

from needlerx.accounts.local import clinic_now
from needlerx.accounts.models import User
from needlerx.accounts.selectors import role_in_clinic
from needlerx.audit.services import audit_record
from needlerx.clinical.episodes import episode_reference
from needlerx.clinical.treatment_reference import billing_reference
from needlerx.core.errors import ApplicationError, NotFound
from needlerx.documents.progress import outcome_presentation
from needlerx.instruments.progress import ProgressSeries, episode_progress_page
from needlerx.patients.models import Episode, Patient
from needlerx.patients.selectors import episode_get_for_user
from needlerx.treatments import selectors as treatments
from needlerx.treatments.models import CarePlan, NoteType, TreatmentSession
from needlerx.treatments.models.plans import Intervention
from needlerx.treatments.selectors.access import VIEW as TREATMENT_VIEW
from needlerx.treatments.selectors.session_records import (
    session_addenda,
    session_adverse_events,
    session_billing_suggestion,
)

INITIAL_EVALUATION = "initial-evaluation"
PROGRESS_REPORT = "progress-report"
DISCHARGE_SUMMARY = "discharge-summary"
HOME_EXERCISE_PROGRAMME = "home-exercise-programme"
SESSION_NOTE = "session-note"
SUPERBILL = "superbill"
EPISODE_KINDS = (INITIAL_EVALUATION, PROGRESS_REPORT, DISCHARGE_SUMMARY, HOME_EXERCISE_PROGRAMME)
SESSION_KINDS = (SESSION_NOTE, SUPERBILL)
TITLES = {
    INITIAL_EVALUATION: "Initial evaluation",
    PROGRESS_REPORT: "Progress report",
    DISCHARGE_SUMMARY: "Discharge summary",
    HOME_EXERCISE_PROGRAMME: "Home exercise program",
    SESSION_NOTE: "Session note",
    SUPERBILL: "Superbill",
}
CONFLICT = "conflict"


@dataclass(frozen=True)
class Document:
    """What a PDF shows: its kind, its template and the context the template reads."""

    kind: str
    patient: Patient
    context: dict[str, Any]
    user: User
    record: Model

    @property
    def title(self) -> str:
        return TITLES[self.kind]

    @property
    def template(self) -> str:
        return f"documents/{self.kind.replace('-', '_')}.html"

    @property
    def filename(self) -> str:
        day = self.context["generated_at"].date().isoformat()
        return f"{self.kind}-{slugify(self.patient.family_name) or 'patient'}-{day}.pdf"


def _check_kind(kind: str, allowed: tuple[str, ...], of: str) -> None:
    if kind not in allowed:
        raise NotFound(f"No document {kind!r} for {of}; the documents are: {', '.join(allowed)}.")


def episode_document_for_user(
    *, user: User, episode_id: uuid.UUID | str, kind: str, patient_id: uuid.UUID | str | None = None
) -> Document:
    """One of the episode's documents (``EPISODE_KINDS``), read for ``user`` and audited."""
    _check_kind(kind, EPISODE_KINDS, "an episode")
    episode = episode_get_for_user(
        user=user, public_id=episode_id, permission=TREATMENT_VIEW, patient_id=patient_id
    )
    build = {
        INITIAL_EVALUATION: _initial_evaluation,
        PROGRESS_REPORT: _progress_report,
        DISCHARGE_SUMMARY: _discharge_summary,
        HOME_EXERCISE_PROGRAMME: _home_exercise_programme,
    }[kind]
    obj, context = build(user, episode)
    return _exported(user=user, kind=kind, patient=episode.patient, obj=obj, context=context)


def session_document_for_user(
    *, user: User, session_id: uuid.UUID | str, kind: str, patient_id: uuid.UUID | str | None = None
) -> Document:
    """The signed note or the superbill of one session (``SESSION_KINDS``), audited."""
    _check_kind(kind, SESSION_KINDS, "a session")
    session = treatments.treatment_session_get_for_user(
        user=user, public_id=session_id, patient_id=patient_id
    )
    if not session.is_signed:
        raise ApplicationError(
            "This note is a draft: sign it before printing it or sending it out. A draft can "
            "still change, so a paper copy would not match the record.",
            code=CONFLICT,
        )
    context = _signed_note(session)
    if kind == SUPERBILL:
        context.update(_superbill(session))
    return _exported(user=user, kind=kind, patient=session.patient, obj=session, context=context)


def _exported(
    *, user: User, kind: str, patient: Patient, obj: Model, context: dict[str, Any]
) -> Document:
    clinic = patient.clinic
    context = {
        **context,
        "title": TITLES[kind],
        "kind": kind,
        "clinic": clinic,
        "patient": patient,
        "generated_at": clinic_now(clinic),
        "generated_by": user.get_full_name() or user.get_username(),
    }
    return Document(kind=kind, patient=patient, context=context, user=user, record=obj)


def document_export_record(document: Document) -> None:
    """The export event, once the PDF is made: the patient, the record and the kind."""
    clinic = document.patient.clinic
    audit_record(
        action="document.export",
        actor=document.user,
        actor_role=role_in_clinic(user=document.user, clinic=clinic) or "",
        clinic=clinic,
        obj=document.record,
        patient=document.patient,
        detail={"kind": document.kind, "format": "pdf"},
    )


# --- the documents of an episode -------------------------------------------------------------


def _episode_facts(episode: Episode) -> dict[str, Any]:
    return {"episode": episode, "diagnoses": diagnosis_words(episode.diagnosis_codes)}


def diagnosis_words(codes: list[str]) -> list[dict[str, str]]:
    """Each ICD-10-CM code with its title from the clinic's list (episode_of_care.yaml) and its
    pointer letter (A, B, ... as a claim form points a service at its diagnoses)."""
    titles = {code.code: code.title for code in episode_reference().icd10cm_common_codes}
    return [
        {"code": code, "title": titles.get(code, ""), "pointer": chr(ord("A") + index)}
        for index, code in enumerate(codes)
    ]


def _signed_notes(user: User, episode: Episode, note_type: str) -> list[TreatmentSession]:
    sessions = treatments.sessions_for_episode(user=user, episode_id=episode.public_id)
    return list(
        sessions.filter(note_type=note_type, signed_at__isnull=False).order_by("started_at")
    )


def _signed_note_of_type(user: User, episode: Episode, note_type: str, *, last: bool) -> Any:
    notes = _signed_notes(user, episode, note_type)
    if not notes:
        words = NoteType(note_type).label.lower()
        raise ApplicationError(
            f"This episode has no signed {words} note yet: sign the {words} note first.",
            code=CONFLICT,
        )
    return notes[-1] if last else notes[0]


def _initial_evaluation(user: User, episode: Episode) -> tuple[Model, dict[str, Any]]:
    session = _signed_note_of_type(user, episode, NoteType.INITIAL_EVALUATION, last=False)
    return session, {**_episode_facts(episode), **_signed_note(session)}


def _current_plan(user: User, episode: Episode) -> CarePlan | None:
    plans = treatments.care_plans_for_episode(user=user, episode_id=episode.public_id)
    return plans.order_by("-updated_at", "-id").first()


def _outcomes(user: User, episode: Episode) -> tuple[list[ProgressSeries], dict[str, Any]]:
    page = episode_progress_page(user=user, episode_id=episode.public_id)
    return page.series, outcome_presentation(page.series, page.summary)


def _progress_report(user: User, episode: Episode) -> tuple[Model, dict[str, Any]]:
    series, outcomes = _outcomes(user, episode)
    plan = _current_plan(user, episode)
    return episode, {
        **_episode_facts(episode),
        **outcomes,
        "plan": plan,
        "goals": goals_against_measures(plan, series),
        "interventions": _intervention_words(plan),
    }


def _discharge_summary(user: User, episode: Episode) -> tuple[Model, dict[str, Any]]:
    session = _signed_note_of_type(user, episode, NoteType.DISCHARGE, last=True)
    series, outcomes = _outcomes(user, episode)
    plan = _current_plan(user, episode)
    return session, {
        **_episode_facts(episode),
        **outcomes,
        **_signed_note(session),
        "plan": plan,
        "goals": goals_against_measures(plan, series),
        "visits": len(_all_signed(user, episode)),
    }


def _all_signed(user: User, episode: Episode) -> list[TreatmentSession]:
    sessions = treatments.sessions_for_episode(user=user, episode_id=episode.public_id)
    return list(sessions.filter(signed_at__isnull=False))


def _home_exercise_programme(user: User, episode: Episode) -> tuple[Model, dict[str, Any]]:
    plan = _current_plan(user, episode)
    if plan is None:
        raise ApplicationError(
            "This episode has no plan of care yet: the handout lists the plan's home exercises.",
            code=CONFLICT,
        )
    programme = treatments.home_exercise_programme_for_user(user=user, plan_id=plan.public_id)
    return plan, {"episode": episode, "plan": plan, "programme": programme}


def _intervention_words(plan: CarePlan | None) -> list[str]:
    if plan is None:
        return []
    labels = dict(Intervention.choices)
    return [str(labels.get(item, item)) for item in plan.interventions]


def goals_against_measures(
    plan: CarePlan | None, series: list[ProgressSeries]
) -> list[dict[str, Any]]:
    """Each goal of the plan with the latest value of its measure, and whether it is met."""
    if plan is None:
        return []
    rows = []
    for goal in plan.goals.all():
        found = _series_for(goal.measure, goal.measure_detail, series)
        latest = found.points[-1].score if found and found.points else None
        baseline = goal.baseline if goal.baseline is not None else _first(found)
        rows.append(
            {
                "goal": goal,
                "measure": found.label if found else goal.measure.upper(),
                "unit": found.report.unit if found else "",
                "baseline": baseline,
                "latest": latest,
                "met": _met(baseline, float(goal.target), latest),
            }
        )
    return rows


def _series_for(measure: str, detail: str, series: list[ProgressSeries]) -> ProgressSeries | None:
    matching = [s for s in series if s.instrument == measure]
    exact = [s for s in matching if detail and s.key == detail]
    chosen = exact or matching
    return chosen[0] if chosen else None


def _first(found: ProgressSeries | None) -> float | None:
    return found.points[0].score if found and found.points else None


def _met(baseline: Any, target: float, latest: float | None) -> str:
    """ "met" or "not yet met", towards the target from the baseline; "" without a value."""
    if latest is None:
        return ""
    lowering = baseline is None or float(baseline) >= target
    reached = latest <= target if lowering else latest >= target
    return "met" if reached else "not yet met"


# --- the documents of a session --------------------------------------------------------------


def _signed_note(session: TreatmentSession) -> dict[str, Any]:
    """The note exactly as sealed at signing, with the addenda and adverse events since."""
    sealed = treatments.sealed_snapshot_of(session)
    return {
        "session": session,
        "episode": session.episode,
        "sealed": sealed,
        "note": sealed.get("content", {}),
        "signer": sealed.get("signer", {}),
        "signed_at": session.signed_at,
        "addenda": session_addenda(session),
        "adverse_events": session_adverse_events(session),
    }


def _superbill(session: TreatmentSession) -> dict[str, Any]:
    billing = session_billing_suggestion(session)
    return {
        "billing": billing,
        "diagnoses": diagnosis_words(list(billing["diagnosis_codes"])),
        "units": _units(billing["code"]),
    }


def _units(code: str | None) -> int:
    """Units of the suggested code for the session (billing.yaml: the codes are not timed)."""
    by_code = {item.code: item.units_per_session for item in billing_reference().codes}
    return by_code.get(code or "", 0)
