"""Which records the benchmark opens: the demo clinician's busiest patient and their latest note."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from needlerx.accounts.models import User
from needlerx.accounts.selectors import clinics_for_user
from needlerx.demo.generator import demo_logins
from needlerx.patients.models import Episode, EpisodeStatus, Patient
from needlerx.treatments.models import TreatmentSession
from needlerx.treatments.services import treatment_session_start


@dataclass(frozen=True)
class Subject:
    """The signed-in clinician and the records whose pages are timed."""

    user: User
    patient: Patient
    episode: Episode
    session: TreatmentSession
    draft: TreatmentSession  # a note as a clinician opens it at the start of a visit

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
    """The patient of the clinician's first clinic with the most signed sessions (the longest
    chart). Signed only: the drafts each run opens (``opened_draft``) must not move the subject
    to another patient on a database measured again."""
    clinic = clinics_for_user(user=user).order_by("pk").first()
    busiest = (
        TreatmentSession.objects.filter(clinic=clinic, signed_at__isnull=False)
        .values("patient")
        .annotate(sessions=Count("pk"))
        .order_by("-sessions", "patient")
        .first()
    )
    if busiest is None:
        raise SystemExit("the demo clinic has no sessions to benchmark")
    return Patient.objects.get(pk=busiest["patient"])


def latest_session(patient: Patient) -> TreatmentSession:
    """The patient's latest signed, needled session (the follow-up page needs one), else the
    latest signed one: the demo's visits of today are drafts, some with needles already."""
    sessions = TreatmentSession.objects.filter(patient=patient, signed_at__isnull=False).order_by(
        "-started_at", "-pk"
    )
    session = sessions.filter(needles_used__gt=0).first() or sessions.first()
    if session is None:
        raise SystemExit(f"patient {patient.public_id} has no signed session")
    return session


def opened_draft(user: User, episode: Episode) -> TreatmentSession:
    """A draft note the benchmark opens as a clinician starts a visit: on ``episode`` (else the
    clinic's first open episode with a signed visit), its last visit's muscles carried forward.
    The demo's own drafts are today's visits, so just after the clinic's midnight it has none,
    and the page is the same at any hour this way."""
    if episode.status != EpisodeStatus.OPEN:
        episode = open_treated_episodes(user, 1)[0]
    return treatment_session_start(actor=user, episode=episode, carry_forward=True)


def open_treated_episodes(user: User, count: int, besides: Episode | None = None) -> list[Episode]:
    """Open episodes of the clinician's first clinic with a signed, needled visit (so a new note
    carries that visit forward), ``besides`` left out."""
    clinic = clinics_for_user(user=user).order_by("pk").first()
    treated = TreatmentSession.objects.filter(
        clinic=clinic, signed_at__isnull=False, needles_used__gt=0
    )
    found = (
        Episode.objects.filter(status=EpisodeStatus.OPEN, sessions__in=treated)
        .exclude(pk__in=[besides.pk] if besides else [])
        .select_related("patient")
        .distinct()
        .order_by("pk")[:count]
    )
    episodes = list(found)
    if len(episodes) < count:
        raise SystemExit(f"the demo clinic has {len(episodes)} open episodes with a signed visit")
    return episodes


def bench_subject() -> Subject:
    user = demo_clinician()
    patient = busiest_patient(user)
    session = latest_session(patient)
    episode = session.episode
    draft = opened_draft(user, episode)
    return Subject(user=user, patient=patient, episode=episode, session=session, draft=draft)
