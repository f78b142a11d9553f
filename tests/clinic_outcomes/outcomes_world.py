"""A small clinic whose outcomes are known, built through the services as a clinic builds it.

Clinic A (alice and nora treat; ada administers), episodes opened 40 days ago unless said:

- P1 neck (alice): NPRS 8 -> 3 and NDI 40 -> 20 %, discharged; two needled sessions, a mild
  bruise at the upper trapezius after the first, whose follow-up call was made.
- P2 neck (nora): NPRS 6 -> 5; one needled session with no follow-up.
- P3 back (alice): NPRS 7 only, ODI 40 -> 36 %, discharged (pain lost to follow-up); one needled
  session with a significant adverse event; a questionnaire answered.
- P4 back, thoracic first (alice): VAS 70 -> 20 mm (no NPRS), open; an expired questionnaire
  never answered.
- P5 neck (nora): NPRS 5 only, open (awaiting a later measure); opened 500 days ago, so outside
  the default year.
Clinic B (bob): one neck patient, NPRS 9 -> 1, a needled session with a serious event.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from needlerx.accounts.models import User
from needlerx.accounts.services import credential_add
from needlerx.instruments.services import instrument_response_record
from needlerx.patient_tasks.models import PatientTask
from needlerx.patient_tasks.services import patient_task_create
from needlerx.patients.models import Episode, EpisodeStatus
from needlerx.patients.services import episode_open
from needlerx.treatments.models import NeedlingEntry, TreatmentSession
from needlerx.treatments.services import adverse_event_record, follow_up_record
from tests.personas import World
from tests.treatments.helpers import MULTIFIDUS, checked_session, consent, move_start, needle

OPENED_DAYS_AGO = 40


@dataclass
class OutcomesWorld:
    world: World
    episodes: list[Episode]
    b_episode: Episode


def _episode(world: World, number: int, regions: list[str], days_ago: int) -> Episode:
    clinic = world.clinic_a if number < 100 else world.clinic_b
    patient = world.patient(clinic, mrn=f"OUT-{number}", given_name=f"Pat{number}")
    actor = world.alice if number < 100 else world.bob
    today = timezone.localdate()
    return episode_open(
        actor=actor,
        patient=patient,
        regions=regions,
        diagnosis_codes=["M54.2"],
        onset_date=today - dt.timedelta(days=days_ago + 10),
        opened_on=today - dt.timedelta(days=days_ago),
    )


def _measure(
    actor: User, episode: Episode, instrument: str, answers: object, days_ago: int
) -> None:
    instrument_response_record(
        actor=actor,
        episode=episode,
        instrument_id=instrument,
        responses=answers,
        taken_at=timezone.now() - dt.timedelta(days=days_ago),
    )


def _ndi(percent: int) -> dict[str, int]:
    """Ten NDI items (0-5 each) adding up to ``percent`` of 50."""
    total = percent // 2
    return {str(item): min(5, max(0, total - 5 * (item - 1))) for item in range(1, 11)}


def _odi(percent: int) -> dict[str, int]:
    return _ndi(percent)


def _needled(
    actor: User, episode: Episode, hours_ago: int, entry: dict[str, str] | None = None
) -> tuple[TreatmentSession, NeedlingEntry]:
    session = checked_session(actor, episode, plan=[entry] if entry else None)
    needled = needle(actor, session, entry)
    started = timezone.now() - dt.timedelta(hours=hours_ago)
    move_start(session, started)
    return TreatmentSession.objects.get(pk=session.pk), needled


def _discharge(episode: Episode, days_ago: int) -> None:
    Episode.objects.filter(pk=episode.pk).update(
        status=EpisodeStatus.DISCHARGED,
        discharged_on=timezone.localdate() - dt.timedelta(days=days_ago),
    )


def _credential(user: User) -> None:
    today = timezone.localdate()
    credential_add(
        user=user, training_provider="Test Institute", hours=54,
        completed_on=today - dt.timedelta(days=100), expires_on=today + dt.timedelta(days=600),
        licence_number="PT-2", licence_country="US", licence_region="CO",
    )  # fmt: skip


def build(world: World) -> OutcomesWorld:
    alice, nora = world.alice, world.nora
    _credential(nora)
    _credential(world.bob)
    p1 = _episode(world, 1, ["cervical"], OPENED_DAYS_AGO)
    p2 = _episode(world, 2, ["cervical"], OPENED_DAYS_AGO)
    p3 = _episode(world, 3, ["lumbar"], OPENED_DAYS_AGO)
    p4 = _episode(world, 4, ["thoracic", "lumbar"], OPENED_DAYS_AGO)
    p5 = _episode(world, 5, ["cervical"], 500)
    b1 = _episode(world, 101, ["cervical"], OPENED_DAYS_AGO)

    _measure(alice, p1, "nprs", {"1": 8}, 35)
    _measure(alice, p1, "nprs", {"1": 3}, 5)
    _measure(alice, p1, "ndi", _ndi(40), 35)
    _measure(alice, p1, "ndi", _ndi(20), 5)
    _measure(alice, p2, "nprs", {"1": 6}, 35)
    _measure(alice, p2, "nprs", {"1": 5}, 5)
    _measure(alice, p3, "nprs", {"1": 7}, 35)
    _measure(alice, p3, "odi", _odi(40), 35)
    _measure(alice, p3, "odi", _odi(36), 5)
    _measure(alice, p4, "vas", {"1": 70}, 35)
    _measure(alice, p4, "vas", {"1": 20}, 5)
    _measure(alice, p5, "nprs", {"1": 5}, 450)
    _measure(world.bob, b1, "nprs", {"1": 9}, 35)
    _measure(world.bob, b1, "nprs", {"1": 1}, 5)

    for episode, actor in ((p1, alice), (p2, nora), (p3, alice), (b1, world.bob)):
        consent(actor, episode)
    first, entry = _needled(alice, p1, hours_ago=30 * 24)
    adverse_event_record(
        actor=alice, session=first, event_type="bruising", severity="mild",
        onset_at=first.started_at + dt.timedelta(hours=2), action_taken="Ice and advice",
        needling_entry_id=entry.public_id,
    )  # fmt: skip
    follow_up_record(actor=alice, session=first, method="phone", outcome="adverse_event")
    _needled(alice, p1, hours_ago=20 * 24)
    _needled(nora, p2, hours_ago=10 * 24)
    third, _ = _needled(alice, p3, hours_ago=15 * 24, entry=MULTIFIDUS)
    adverse_event_record(
        actor=alice, session=third, event_type="aggravation", severity="significant",
        onset_at=third.started_at + dt.timedelta(hours=20), action_taken="Referred to GP",
    )  # fmt: skip
    b_session, _ = _needled(world.bob, b1, hours_ago=12 * 24)
    adverse_event_record(
        actor=world.bob, session=b_session, event_type="fainting", severity="serious",
        onset_at=b_session.started_at, action_taken="Called an ambulance",
    )  # fmt: skip

    answered = patient_task_create(
        actor=alice, patient=p3.patient, kind="questionnaire", episode=p3, instrument="nprs"
    ).task
    PatientTask.objects.filter(pk=answered.pk).update(completed_at=timezone.now())
    expired = patient_task_create(
        actor=alice, patient=p4.patient, kind="questionnaire", episode=p4, instrument="nprs"
    ).task
    PatientTask.objects.filter(pk=expired.pk).update(
        valid_from=timezone.now() - dt.timedelta(days=20),
        expires_at=timezone.now() - dt.timedelta(days=6),
    )
    _discharge(p1, 2)
    _discharge(p3, 3)
    return OutcomesWorld(world, [p1, p2, p3, p4, p5], b1)
