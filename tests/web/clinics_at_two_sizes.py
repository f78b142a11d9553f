"""Two clinics of the same shape, one with N of everything and one with 2N, for the query counts.

Each clinic has one clinician (with a credential) and ``size`` patients. Every patient has an
evaluation, an episode opened weeks ago, consent and a needled draft note from 30 hours ago (an
unsigned note and a follow-up due on the home page); every patient but the first was then referred
by a later screen (an open alert on the home page). The first patient's record has ``size`` of
everything: screens, trigger points, medicines, measures on ``size`` days, a plan of care with
``size`` goals and home exercises, and two notes today with ``size`` needling entries each: a
draft, and one signed.

Everything is made through the services, as a clinic makes it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from needlerx.accounts import services as accounts
from needlerx.accounts.models import Clinic, User
from needlerx.bodychart.services import trigger_point_record
from needlerx.instruments.services import instrument_response_record
from needlerx.patients import services as patients
from needlerx.patients.models import Episode, Patient
from needlerx.screening.services import screening_run
from needlerx.treatments import services as treatments
from needlerx.treatments.models import CarePlan, TreatmentSession
from tests.personas import PASSWORD
from tests.treatments.helpers import (
    UPPER_TRAPEZIUS,
    checked_session,
    consent,
    move_start,
    needle,
    sign,
)

N = 3
OPENED_DAYS_AGO = 50
NEEDLED = [
    {"muscle": muscle, "side": side, "technique": "static"}
    for muscle in ("upper_trapezius", "levator_scapulae", "splenius_capitis")
    for side in ("left", "right")
]
EXERCISES = (
    "chin_tuck_sitting",
    "neck_rotation_active",
    "neck_side_bend_active",
    "upper_trapezius_stretch",
    "levator_scapulae_stretch",
    "shoulder_blade_squeeze",
)


@dataclass(frozen=True)
class SizedClinic:
    size: int
    clinician: User
    patient: Patient  # the first patient, whose record has `size` of everything
    episode: Episode
    session: TreatmentSession
    plan: CarePlan
    signed: TreatmentSession  # a signed note of the first patient, with ``size`` needling entries

    def url(self, page: str) -> str:
        """The address of one of the pages the query-count tests measure."""
        patient, episode = self.patient.public_id, self.episode.public_id
        addresses: dict[str, Callable[[], str]] = {
            "home": lambda: reverse("home"),
            # Two to a page, so each size has more than one page of follow-ups due.
            "follow-ups": lambda: reverse("follow_ups") + "?page=2&per_page=2",
            "follow-ups API": lambda: "/api/v1/follow-ups/due?page=2&page_size=2",
            "patient list": lambda: reverse("patients:list"),
            "patient search": lambda: reverse("patients:list") + "?q=Exam",
            # every patient of the clinic was born that day
            "patient search by date of birth": lambda: reverse("patients:list") + "?q=1980-05-17",
            "chart": lambda: reverse("patients:detail", args=[patient]),
            "evaluation": lambda: reverse("patients:evaluation", args=[patient]),
            "session note": lambda: reverse(
                "clinic:session", args=[patient, self.session.public_id]
            ),
            # the same draft opened to change today's muscles: the body chart and its list
            "session note, choosing muscles": lambda: (
                reverse("clinic:session", args=[patient, self.session.public_id])
                + "?muscles=change"
            ),
            "progress": lambda: reverse("clinic:progress", args=[patient, episode]),
            "signed note": lambda: reverse("clinic:session", args=[patient, self.signed.public_id]),
            "follow-up call": lambda: reverse(
                "clinic:follow_up", args=[patient, self.session.public_id]
            ),
            "measures": lambda: reverse("clinic:measures", args=[patient, episode]),
            "body chart": lambda: reverse("bodychart:examine", args=[patient, episode]),
            "screen": lambda: reverse("clinic:screen", args=[patient, episode]),
            "plan": lambda: reverse("clinic:plan", args=[patient, episode]),
            "handout": lambda: reverse("clinic:handout", args=[patient, self.plan.public_id]),
        }
        return addresses[page]()


def build_clinic(size: int) -> SizedClinic:
    assert size <= len(NEEDLED), "add muscles and exercises to NEEDLED and EXERCISES"
    clinic, clinician = _clinic_and_clinician(size)
    first, *others = [_treated_patient(clinic, clinician, number) for number in range(size)]
    for episode in others:
        _refer(clinician, episode)
    patient = first.patient
    return SizedClinic(
        size=size,
        clinician=clinician,
        patient=patient,
        episode=first,
        session=_session_with_entries(clinician, first, NEEDLED[:size]),
        plan=_plan(clinician, first, size),
        signed=_signed_session(clinician, first, NEEDLED[:size]),
    )


def _clinic_and_clinician(size: int) -> tuple[Clinic, User]:
    clinic = accounts.clinic_create(
        network_name="Query Count Network", name=f"Clinic of {size}", country="US", region="CO"
    )
    user = accounts.user_create(
        username=f"clinician{size}",
        password=PASSWORD,
        clinic=clinic,
        role="clinician",
        first_name="Cleo",
    )
    today = timezone.localdate()
    accounts.credential_add(
        user=user,
        training_provider="Test Institute",
        hours=54,
        completed_on=today - dt.timedelta(days=100),
        expires_on=today + dt.timedelta(days=600),
        licence_number="PT-9",
        licence_country="US",
        licence_region="CO",
    )
    return clinic, user


def _treated_patient(clinic: Clinic, clinician: User, number: int) -> Episode:
    """A patient with an episode and a needled draft note from 30 hours ago."""
    patient = patients.patient_register(
        actor=clinician,
        clinic=clinic,
        medical_record_number=f"Q-{number:04d}",
        given_name=f"Pat{number}",
        family_name="Example",
        date_of_birth=dt.date(1980, 5, 17),
        sex="female",
        height_cm=170,
        weight_kg=65,
    )
    today = timezone.localdate()
    episode = patients.episode_open(
        actor=clinician,
        patient=patient,
        regions=["cervical"],
        diagnosis_codes=["M54.2"],
        onset_date=today - dt.timedelta(days=OPENED_DAYS_AGO + 10),
        opened_on=today - dt.timedelta(days=OPENED_DAYS_AGO),
    )
    consent(clinician, episode)
    session = checked_session(clinician, episode)
    needle(clinician, session)
    yesterday = timezone.now() - dt.timedelta(hours=30)
    move_start(session, yesterday)
    return episode


def _refer(clinician: User, episode: Episode) -> None:
    patients.history_fact_record(
        actor=clinician, patient=episode.patient, fact="cauda_equina_signs", value=True
    )
    run = screening_run(actor=clinician, episode=episode, plan=[UPPER_TRAPEZIUS])
    assert run.decision == "refer"


def _session_with_entries(
    clinician: User, episode: Episode, entries: list[dict[str, str]]
) -> TreatmentSession:
    """Today's draft note for the first patient, its record grown to ``len(entries)``."""
    patient, size = episode.patient, len(entries)
    for number, entry in enumerate(entries):
        trigger_point_record(
            actor=clinician,
            episode=episode,
            muscle=entry["muscle"],
            side=entry["side"],
            status="active",
        )
        screening_run(actor=clinician, episode=episode, plan=[entry])
        patients.medication_add(
            actor=clinician, patient=patient, name=f"Medicine {number}", drug_class="nsaid"
        )
    for days_ago in range(size * 7, 0, -7):
        _measure(clinician, episode, days_ago)
    session = checked_session(clinician, episode, plan=entries)
    for entry in entries:
        needle(clinician, session, entry, max_depth_mm=8, needle_length_mm=30)
    return TreatmentSession.objects.get(pk=session.pk)


def _signed_session(
    clinician: User, episode: Episode, entries: list[dict[str, str]]
) -> TreatmentSession:
    """A second note for the first patient, needled at ``len(entries)`` sites and signed."""
    session = checked_session(clinician, episode, plan=entries)
    for entry in entries:
        needle(clinician, session, entry, max_depth_mm=8, needle_length_mm=30)
    return sign(
        clinician, session, assessment="Less pain on rotation after needling.", pain_after=3
    )


def _measure(clinician: User, episode: Episode, days_ago: int) -> None:
    taken_at = timezone.now() - dt.timedelta(days=days_ago)
    pain = min(10, days_ago // 7 + 1)
    for instrument, responses in (
        ("nprs", {"1": pain}),
        ("ndi", {str(item): min(5, pain // 2) for item in range(1, 11)}),
    ):
        instrument_response_record(
            actor=clinician,
            episode=episode,
            instrument_id=instrument,
            responses=responses,
            taken_at=taken_at,
        )


def _plan(clinician: User, episode: Episode, size: int) -> CarePlan:
    plan = treatments.care_plan_create(
        actor=clinician,
        episode=episode,
        frequency_per_week=2,
        duration_weeks=6,
        interventions=["dry_needling", "therapeutic_exercise"],
        re_evaluation_on=timezone.localdate() + dt.timedelta(weeks=3),
        goals=[{"description": f"Goal {n}", "measure": "nprs", "target": n} for n in range(size)],
    )
    for exercise in EXERCISES[:size]:
        treatments.home_exercise_add(
            actor=clinician, plan=plan, exercise_id=exercise, contraindication_rationale="Checked"
        )
    return plan
