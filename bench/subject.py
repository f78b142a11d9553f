"""Which records the benchmark opens: the demo clinician's busiest patient and their latest note."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from needlerx.accounts.models import User
from needlerx.accounts.selectors import clinics_for_user
from needlerx.demo.generator import demo_logins
from needlerx.patients.models import Episode, Patient
from needlerx.treatments.models import TreatmentSession


@dataclass(frozen=True)
class Subject:
    """The signed-in clinician and the records whose pages are timed."""

    user: User
    patient: Patient
    episode: Episode
    session: TreatmentSession
    draft: TreatmentSession  # the note a clinician works in during a visit

    def url_arguments(self) -> dict[str, str]:
        """Values for the URL parameters the benchmark knows how to fill."""
        return {
            "patient_id": str(self.patient.public_id),
            "episode_id": str(self.episode.public_id),
            "session_id": str(self.session.public_id),
        }


def demo_clinician() -> User:
    username = next(name for name, role, _ in demo_logins() if role == "clinician")
    return User.objects.get(username=username)


def busiest_patient(user: User) -> Patient:
    """The patient of the clinician's first clinic with the most sessions (the longest chart)."""
    clinic = clinics_for_user(user=user).order_by("pk").first()
    busiest = (
        TreatmentSession.objects.filter(clinic=clinic)
        .values("patient")
        .annotate(sessions=Count("pk"))
        .order_by("-sessions", "patient")
        .first()
    )
    if busiest is None:
        raise SystemExit("the demo clinic has no sessions to benchmark")
    return Patient.objects.get(pk=busiest["patient"])


def latest_session(patient: Patient) -> TreatmentSession:
    """The patient's latest needled session (the follow-up page needs one), else the latest."""
    sessions = TreatmentSession.objects.filter(patient=patient).order_by("-started_at", "-pk")
    session = sessions.filter(needles_used__gt=0).first() or sessions.first()
    if session is None:
        raise SystemExit(f"patient {patient.public_id} has no session")
    return session


def latest_draft(user: User) -> TreatmentSession:
    """The clinician's latest draft note with needling recorded in it (the longest draft page)."""
    drafts = TreatmentSession.objects.filter(clinician=user, signed_at__isnull=True)
    draft = drafts.filter(needles_used__gt=0).order_by("-started_at", "-pk").first()
    if draft is None:
        raise SystemExit("the demo clinician has no draft note with needling to benchmark")
    return draft


def bench_subject() -> Subject:
    user = demo_clinician()
    patient = busiest_patient(user)
    session = latest_session(patient)
    episode, draft = session.episode, latest_draft(user)
    return Subject(user=user, patient=patient, episode=episode, session=session, draft=draft)
