"""Demo patient links: check-ins and questionnaires from home in each demo clinic, so the
patient tasks page, the clinic home's alerts and the progress charts have something to show.

Per clinic, around the demo sessions already inserted:

- the needling sessions of the last 24-72 hours (their check-in window is open now) get a
  check-in link through the real services: one answered well, one waiting for the patient, and
  in the first clinic one answered with a warning sign, which records the adverse event and
  the follow-up and raises the home alert, as a patient's answer would;
- a few needling sessions of one to two weeks ago have a check-in link that expired
  unanswered (their follow-up was a phone call: see ``demo.treatments``);
- a few open episodes have a pain rating (NPRS) and a medication diary answered at home in the
  evening two days after a visit (clinic time), near the patient's last rating: patient-reported
  measures in the progress chart; plus a questionnaire link waiting, one expired, and a home
  exercise program link.

The few check-ins go through the services (a handful of rows); the home measures and links are
bulk-inserted. A clinic that already has links is left as it is. Returns the links still open,
to print: their tokens exist only now (the database keeps only their hash).
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from needlerx.accounts.models import Clinic, User
from needlerx.audit.services import audit_record
from needlerx.clinical.check_in import check_in_reference
from needlerx.clinical.scoring import score
from needlerx.core.local import zone_named
from needlerx.demo.bulk import bulk_insert
from needlerx.instruments.models import InstrumentResponse
from needlerx.instruments.services import first_and_latest_score_refresh, response_from_result
from needlerx.patient_tasks.models import PatientTask, TaskKind
from needlerx.patient_tasks.services import check_in_submit, patient_task_create, token_hash
from needlerx.patients.models import Episode, EpisodeStatus
from needlerx.treatments.models import CarePlan, TreatmentSession

HOME_EVENING = dt.time(19, 30)  # when the demo patients answer at home (clinic time)
ANSWERED_AFTER = dt.timedelta(days=2)
EPISODES_WITH_HOME_MEASURES = 3
EXPIRED_CHECK_INS = 2
WARNING_WORDS = "The spot where the needle went in is red, warm and bigger than this morning."


@dataclass(frozen=True)
class DemoLink:
    clinic: str
    what: str
    path: str


def load_patient_tasks(
    clinics: list[tuple[Clinic, User]], *, seed: int, now: dt.datetime
) -> list[DemoLink]:
    """Each clinic's demo links (``clinics``: the clinic and its demo clinician)."""
    rng = random.Random(seed)  # noqa: S311 - synthetic data, reproducible on purpose
    links: list[DemoLink] = []
    for number, (clinic, clinician) in enumerate(clinics):
        if PatientTask.objects.filter(clinic=clinic).exists():
            continue
        links += _load_clinic(clinic, clinician, rng, now, with_warning=number == 0)
    return links


def _load_clinic(
    clinic: Clinic, clinician: User, rng: random.Random, now: dt.datetime, *, with_warning: bool
) -> list[DemoLink]:
    links = _recent_check_ins(clinic, now, with_warning)
    with transaction.atomic():
        tasks = _expired_check_ins(clinic, clinician, now)
        home_tasks, measures, open_links = _home_questionnaires(clinic, clinician, rng, now)
        tasks += home_tasks
        bulk_insert(measures)
        for episode_id, instrument in sorted({(m.episode_id, m.instrument) for m in measures}):
            first_and_latest_score_refresh(episode_id=episode_id, instrument=instrument)
        for task in tasks:
            task.answers = _answers_with_measure(task, measures)
        created = [(task, task.created_at) for task in tasks]
        bulk_insert(tasks)
        for task, sent in created:  # bulk_insert stamps one created_at for all
            PatientTask.objects.filter(pk=task.pk).update(created_at=sent)
        audit_record(
            action="demo.patient_tasks_load",
            clinic=clinic,
            detail={"links": len(tasks), "measures_from_home": len(measures)},
        )
    return links + [DemoLink(clinic.name, what, path) for what, path in open_links]


def _recent_check_ins(clinic: Clinic, now: dt.datetime, with_warning: bool) -> list[DemoLink]:
    """Sessions whose check-in window is open now, through the services: a warning sign (first
    clinic), one answered well, one waiting; the waiting link is returned to print."""
    sessions = list(
        TreatmentSession.objects.filter(
            patient__clinic=clinic,
            signed_at__isnull=False,
            needling_entries__isnull=False,
            started_at__gte=now - dt.timedelta(hours=72),
            started_at__lte=now - dt.timedelta(hours=25),
            follow_ups__isnull=True,
        )
        .select_related("patient__clinic", "clinician", "episode")
        .distinct()
        .order_by("-started_at")[:3]
    )
    links: list[DemoLink] = []
    plan: list[str] = (["warning"] if with_warning else []) + ["well", "waiting"]
    for session, outcome in zip(sessions, plan, strict=False):
        created = patient_task_create(
            actor=session.clinician,
            patient=session.patient,
            kind=TaskKind.CHECK_IN,
            session=session,
        )
        sent = session.started_at + dt.timedelta(hours=2)  # sent after the visit, by email
        PatientTask.objects.filter(pk=created.task.pk).update(created_at=sent, emailed_at=sent)
        if outcome == "waiting":
            links.append(DemoLink(clinic.name, "after-needling check-in", f"/my/{created.token}/"))
            continue
        warning = outcome == "warning"
        check_in_submit(
            task=created.task,
            soreness=5 if warning else 3,
            bruising=not warning,
            effects=[],
            signs=["infection_signs"] if warning else [],
            free_text=WARNING_WORDS if warning else "",
        )
    return links


def _task(
    clinic: Clinic, clinician: User, kind: str, sent: dt.datetime, days: int, **fields: Any
) -> PatientTask:
    task = PatientTask(
        clinic=clinic,
        kind=kind,
        token_hash=token_hash(secrets.token_urlsafe(32)),
        valid_from=sent,
        expires_at=sent + dt.timedelta(days=days),
        created_by=clinician,
        emailed_at=sent,
        **fields,
    )
    task.created_at = sent
    return task


def _expired_check_ins(clinic: Clinic, clinician: User, now: dt.datetime) -> list[PatientTask]:
    """Check-ins of one to two weeks ago that expired unanswered (the clinic then phoned)."""
    grace = dt.timedelta(hours=check_in_reference().links.check_in_grace_hours)
    sessions = (
        TreatmentSession.objects.filter(
            patient__clinic=clinic,
            needling_entries__isnull=False,
            started_at__gte=now - dt.timedelta(days=14),
            started_at__lte=now - dt.timedelta(days=7),
        )
        .select_related("patient", "episode")
        .distinct()
        .order_by("-started_at")[:EXPIRED_CHECK_INS]
    )
    tasks = []
    for session in sessions:
        task = _task(
            clinic,
            session.clinician,
            TaskKind.CHECK_IN,
            session.started_at + dt.timedelta(hours=24),
            0,
            patient=session.patient,
            session=session,
            episode=session.episode,
        )
        task.expires_at = session.started_at + dt.timedelta(hours=72) + grace
        task.created_at = session.started_at + dt.timedelta(hours=2)
        tasks.append(task)
    return tasks


def _evening_after(visit: dt.datetime, zone: dt.tzinfo) -> dt.datetime:
    day = visit.astimezone(zone).date() + ANSWERED_AFTER
    return dt.datetime.combine(day, HOME_EVENING, tzinfo=zone)


def _home_questionnaires(
    clinic: Clinic, clinician: User, rng: random.Random, now: dt.datetime
) -> tuple[list[PatientTask], list[InstrumentResponse], list[tuple[str, str]]]:
    """NPRS and the medication diary answered at home after a recent visit, near the patient's
    last rating; a questionnaire link waiting, one expired, a home-program link."""
    zone = zone_named(clinic.time_zone)
    visits = _recent_visits(clinic, now)
    tasks: list[PatientTask] = []
    measures: list[InstrumentResponse] = []
    open_links: list[tuple[str, str]] = []
    for episode, visit in visits[:EPISODES_WITH_HOME_MEASURES]:
        answered = _evening_after(visit, zone)
        if answered > now - dt.timedelta(hours=1):
            continue
        for instrument, responses in _home_answers(episode, rng):
            measure = response_from_result(
                episode=episode,
                result=score(instrument, responses),
                responses=responses,
                taken_at=answered,
                entered_by=None,
            )
            measures.append(measure)
            sent = visit + dt.timedelta(hours=1)
            days = check_in_reference().links.questionnaire_days
            task = _task(
                clinic, clinician, TaskKind.QUESTIONNAIRE, sent, days, patient=episode.patient
            )
            task.episode, task.instrument, task.completed_at = episode, instrument, answered
            tasks.append(task)
    rest = visits[EPISODES_WITH_HOME_MEASURES:]
    if rest:
        episode, visit = rest[0]
        token = secrets.token_urlsafe(32)
        waiting = _task(
            clinic,
            clinician,
            TaskKind.QUESTIONNAIRE,
            visit + dt.timedelta(hours=1),
            7,
            patient=episode.patient,
            episode=episode,
            instrument="nprs",
        )
        waiting.token_hash = token_hash(token)
        tasks.append(waiting)
        open_links.append(("pain rating (NPRS)", f"/my/{token}/"))
    if len(rest) > 1:
        episode, visit = rest[1]
        tasks.append(
            _task(
                clinic,
                clinician,
                TaskKind.QUESTIONNAIRE,
                visit - dt.timedelta(days=9),
                7,
                patient=episode.patient,
                episode=episode,
                instrument="spasm",
            )
        )
    programme = _episode_with_plan([episode for episode, _ in visits])
    if programme is not None:
        token = secrets.token_urlsafe(32)
        days = check_in_reference().links.home_programme_days
        shown = _task(
            clinic,
            clinician,
            TaskKind.HOME_PROGRAMME,
            now - dt.timedelta(days=1),
            days,
            patient=programme.patient,
            episode=programme,
        )
        shown.token_hash = token_hash(token)
        tasks.append(shown)
        open_links.append(("home exercise program", f"/my/{token}/"))
    return tasks, measures, open_links


def _recent_visits(clinic: Clinic, now: dt.datetime) -> list[tuple[Episode, dt.datetime]]:
    """Open episodes with a visit 3 to 10 days ago: (episode, its latest such visit), newest
    first, one per episode."""
    sessions = (
        TreatmentSession.objects.filter(
            patient__clinic=clinic,
            episode__status=EpisodeStatus.OPEN,
            started_at__gte=now - dt.timedelta(days=10),
            started_at__lte=now - dt.timedelta(days=3),
        )
        .select_related("episode__patient")
        .order_by("-started_at")[:40]
    )
    seen: dict[int, tuple[Episode, dt.datetime]] = {}
    for session in sessions:
        seen.setdefault(session.episode_id, (session.episode, session.started_at))
    return list(seen.values())


def _latest(episode: Episode, instrument: str) -> InstrumentResponse | None:
    return (
        InstrumentResponse.objects.filter(episode=episode, instrument=instrument)
        .order_by("-taken_at")
        .first()
    )


def _home_answers(episode: Episode, rng: random.Random) -> list[tuple[str, dict[str, Any]]]:
    """A pain rating near the last one and, where the clinic records medication use, last
    week's medication diary with a day less (the trend of the chart)."""
    answers: list[tuple[str, dict[str, Any]]] = []
    pain = _latest(episode, "nprs")
    if pain is not None and pain.score is not None:
        rating = int(max(0, min(10, round(pain.score) + rng.choice((-1, 0, 0, 1)))))
        answers.append(("nprs", {"1": rating}))
    medication = _latest(episode, "medication")
    if medication is not None:
        diary = dict(medication.responses)
        diary["analgesic_days_per_week"] = max(0, int(diary["analgesic_days_per_week"]) - 1)
        answers.append(("medication", diary))
    return answers


def _episode_with_plan(episodes: list[Episode]) -> Episode | None:
    with_plan = set(
        CarePlan.objects.filter(episode__in=episodes).values_list("episode_id", flat=True)
    )
    return next((episode for episode in episodes if episode.pk in with_plan), None)


def _answers_with_measure(task: PatientTask, measures: list[InstrumentResponse]) -> dict[str, Any]:
    """A questionnaire answered at home names its stored measure, like the service does."""
    if task.completed_at is None or task.kind != TaskKind.QUESTIONNAIRE:
        return task.answers or {}
    found = next(
        (
            m
            for m in measures
            if m.episode_id == task.episode_id
            and m.instrument == task.instrument
            and m.taken_at == task.completed_at
        ),
        None,
    )
    return {"measure": str(found.public_id)} if found is not None else {}
