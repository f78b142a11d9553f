"""Synthetic treatment records for demo patients: the screen at the evaluation, consent, a plan of
care with home exercises, sessions with needling, adverse events and follow-ups, at published rates.

Each needled visit is screened the same day before the needle goes in (the evaluation's screen
serves the first visit); the pain a note records is the NPRS measured at that visit
(``demo.outcomes.nprs_at_visits``); the muscles needled change over the episode, from the worst
muscles to the secondary ones as the first settle (``muscle_schedule``), always among the muscles
the screen allowed.

Adverse events are drawn per needling session from the per-type rates in adverse_events.yaml
(Brady 2014; White 2001; AHPCSA) plus significant events at the Boyce 2020 major rate. Each
patient's needling is screened once with the real screen, so blocked or incomplete screens get
exercise and education only; a clinic whose jurisdiction does not let physical therapists dry
needle collects no consent and needles no one (exercise and manual therapy instead). Rows are
bulk-inserted (like the patients) with one audit event per batch.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from needlerx.accounts.models import User
from needlerx.audit.services import audit_record
from needlerx.clinical.reference import muscle_catalogue
from needlerx.clinical.screening import screen
from needlerx.clinical.treatment_reference import adverse_event_reference, exercise_library
from needlerx.clinical.treatment_rules import required_aftercare
from needlerx.core.local import zone_named
from needlerx.demo.bulk import (
    Ids,
    JsonText,
    Prepared,
    insert_prepared,
    new_instance,
    prepare_keyed,
    prepare_objects,
)
from needlerx.demo.catalogue import CLINIC_DAY_STARTS
from needlerx.demo.clinic_context import (
    ELECTRICAL_CONSENT,
    GENERAL_CONSENT,
    ClinicContext,
    clinic_context,
    clinic_day,
    consent_for,
)
from needlerx.demo.evaluation import (
    document_findings,
    guidance_acknowledgement,
    new_stored_result,
    screening_facts,
    screening_run,
)
from needlerx.demo.needling import depth_exception_note, needling_entry
from needlerx.demo.outcomes import nprs_at_visits
from needlerx.patients.models import Episode, Patient
from needlerx.screening.models import ScreeningRun, StoredResult
from needlerx.treatments.depths import session_bmi
from needlerx.treatments.models import (
    AdverseEvent,
    CarePlan,
    CarePlanGoal,
    ConsentRecord,
    FollowUp,
    GuidanceAcknowledgement,
    HomeExercise,
    NeedledSession,
    NeedlingEntry,
    TreatmentSession,
)
from needlerx.treatments.recheck import findings_needing_rationale
from needlerx.treatments.seal import (
    SCREEN_VALUES,
    canonical,
    note_snapshot_objects,
    screen_of_result,
    snapshot_to_store,
)
from needlerx.treatments.selectors.notes import content_of

# Muscles a demo clinician picks from for each episode region (ids from the muscle catalogue):
# named muscles, never a grouped erector spinae entry (payers expect the muscle named).
MUSCLES_BY_REGION = {
    "cervical": ("upper_trapezius", "levator_scapulae", "splenius_capitis", "cervical_multifidus"),
    "thoracic": ("rhomboid_major", "middle_trapezius", "thoracic_longissimus"),
    "lumbar": (
        "lumbar_multifidus",
        "lumbar_iliocostalis",
        "upper_lumbar_longissimus",
        "quadratus_lumborum",
        "gluteus_medius",
    ),
}
# Share of planned entries per technique (demo parameters); the rest is pistoning.
STATIC_SHARE, ELECTRICAL_SHARE = 0.55, 0.12
DAYS_BETWEEN_SESSIONS = 4
MAX_SESSIONS = 8
SCREEN_BEFORE_SESSION = dt.timedelta(minutes=10)  # the same-day screen, just before needling
# Muscle progression (demo parameters): the two worst muscles from the first visit, each further
# muscle of the plan joins SECONDARY_EVERY visits later, and a muscle settles after 2 to 4
# visits (the first a visit sooner than the second, so the set always changes).
SECONDARY_EVERY = 2
SETTLES_AFTER = (2, 4)
BLOCKING = ("refer", "do_not_needle", "incomplete")
WITH_NEEDLING = ["dry_needling", "therapeutic_exercise", "education"]
WITHOUT_NEEDLING = ["therapeutic_exercise", "manual_therapy", "education"]


# Every model a batch's TreatmentRows holds, for ``demo.bulk.Ids``.
TREATMENT_MODELS = (
    ScreeningRun,  # and StoredResult, keyed by digest (no ids)
    ConsentRecord,
    CarePlan,
    CarePlanGoal,
    HomeExercise,
    TreatmentSession,
    GuidanceAcknowledgement,
    NeedlingEntry,
    AdverseEvent,
    FollowUp,
    NeedledSession,
)


@dataclass
class TreatmentRows:
    results: dict[str, StoredResult] = field(default_factory=dict)  # by digest, each once
    screens: list[ScreeningRun] = field(default_factory=list)
    consents: list[ConsentRecord] = field(default_factory=list)
    plans: list[CarePlan] = field(default_factory=list)
    goals: list[CarePlanGoal] = field(default_factory=list)
    exercises: list[HomeExercise] = field(default_factory=list)
    sessions: list[TreatmentSession] = field(default_factory=list)
    acknowledgements: list[GuidanceAcknowledgement] = field(default_factory=list)
    entries: list[NeedlingEntry] = field(default_factory=list)
    paired_entries: list[NeedlingEntry] = field(default_factory=list)  # name an earlier entry
    events: list[AdverseEvent] = field(default_factory=list)
    follow_ups: list[FollowUp] = field(default_factory=list)
    needled: list[NeedledSession] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {name: len(rows) for name, rows in vars(self).items()}


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _technique(rng: random.Random, facts: dict[str, Any]) -> str:
    draw = rng.random()
    if draw < STATIC_SHARE:
        return "static"
    electrical = draw < STATIC_SHARE + ELECTRICAL_SHARE and not facts.get("pregnant")
    return "electrical" if electrical else "pistoning"


def _plan_entries(
    rng: random.Random, episode: Episode, facts: dict[str, Any]
) -> list[dict[str, str]]:
    """The muscles the clinician plans and screens at the evaluation, the worst first."""
    choices = [m for region in episode.regions for m in MUSCLES_BY_REGION.get(region, ())]
    chosen = rng.sample(choices, k=min(len(choices), rng.randint(2, 4)))
    catalogue = muscle_catalogue()
    side = rng.choice(("left", "right"))  # the painful side; sometimes the other side too
    return [
        {
            "muscle": m,
            "side": (side if rng.random() < 0.8 else rng.choice(("left", "right")))
            if catalogue[m].sided
            else "midline",
            "technique": _technique(rng, facts),
        }
        for m in chosen
    ]


def muscle_schedule(
    rng: random.Random, allowed: list[dict[str, Any]], visits: int
) -> list[list[dict[str, Any]]]:
    """The allowed muscles needled at each visit: the worst two first, each further muscle a
    few visits later, each dropped once it has settled; when all have settled, the one that
    lasted longest is still treated (never an empty visit)."""
    spans = []
    for rank in range(len(allowed)):
        start = 0 if rank < 2 else SECONDARY_EVERY * (rank - 1)
        spans.append([start, start + rng.randint(*SETTLES_AFTER)])
    if len(spans) > 1 and spans[1][1] <= spans[0][1]:
        spans[1][1] = spans[0][1] + 1
    last = max(range(len(allowed)), key=lambda rank: spans[rank][1]) if allowed else 0
    schedule = []
    for visit in range(visits):
        active = [m for m, (start, end) in zip(allowed, spans, strict=True) if start <= visit < end]
        schedule.append(active or allowed[last : last + 1])
    return schedule


@dataclass
class Course:
    """One patient's course of care as the sessions are generated."""

    patient: Patient
    episode: Episode
    facts: dict[str, Any]
    plan: list[dict[str, str]]
    result: dict[str, Any]
    context: ClinicContext
    opened: dt.datetime
    run: ScreeningRun  # the screen at the evaluation, which every session's re-check references

    @property
    def allowed(self) -> list[dict[str, Any]]:
        return [m for m in self.result["muscles"] if m["allowed"]]

    @property
    def can_needle(self) -> bool:
        return (
            self.context.needling_permitted
            and self.result["decision"] not in BLOCKING
            and bool(self.allowed)
        )


def add_patient_treatment(
    rows: TreatmentRows,
    rng: random.Random,
    patient: Patient,
    episode: Episode,
    facts: dict[str, Any],
    context: ClinicContext,
    now: dt.datetime,
) -> None:
    """Append one patient's screen, consent, plan, sessions, needling, events and follow-ups."""
    # Visits in clinic hours where the clinic is, kept in UTC like every stored time (the seal
    # writes times as they are stored).
    zone = zone_named(context.clinic.time_zone)
    opened = dt.datetime.combine(episode.opened_on, CLINIC_DAY_STARTS, tzinfo=zone)
    opened = opened.astimezone(dt.UTC)
    plan = _plan_entries(rng, episode, facts)
    result = screen(facts, plan, practitioner=context.practitioner).to_dict()
    stored = new_stored_result(result)
    stored = rows.results.setdefault(stored.digest, stored)  # a result stored once
    run = screening_run(
        rng, episode, facts, plan, context.practitioner, stored, context.clinician, opened
    )
    course = Course(patient, episode, facts, plan, stored.body, context, opened, run)
    rows.screens.append(run)
    if course.can_needle:
        _consents(rows, rng, course)
    times = _visit_times(rng, opened, now)
    # The plan as it stood at the last visit: an ended course is not re-evaluated after it.
    last_seen = min(now, times[-1] if times else opened).astimezone(zone).date()
    review = next_re_evaluation(episode, opened.date(), last_seen)
    # Written at the evaluation; last changed at the last visit, when its review date was set.
    written = (opened, min(now, times[-1]) if times else opened)
    needling = context.needling_permitted
    _plan(rows, rng, episode, context.clinician, review, written, needling=needling)
    pains = nprs_at_visits(episode, times, now)
    muscles = muscle_schedule(rng, course.allowed, len(times)) if course.can_needle else []
    previous: TreatmentSession | None = None
    for number, started in enumerate(times):
        visit = Visit(started, pains[number], muscles[number] if muscles else [])
        previous = _visit(rows, rng, course, visit, now, previous)


def _visit_times(rng: random.Random, opened: dt.datetime, now: dt.datetime) -> list[dt.datetime]:
    """When each session started: every few days from the evaluation, none in the future."""
    visits = min(MAX_SESSIONS, max(1, (now - opened).days // DAYS_BETWEEN_SESSIONS + 1))
    times = []
    for number in range(visits):
        started = opened + dt.timedelta(
            days=number * DAYS_BETWEEN_SESSIONS, hours=rng.randint(0, 7)
        )
        if started > now:
            break
        times.append(started)
    return times


@dataclass(frozen=True)
class Visit:
    """One session to generate: when, the pain measured, and the muscles to needle."""

    started: dt.datetime
    pain: int
    muscles: list[dict[str, Any]]


def _visit(
    rows: TreatmentRows,
    rng: random.Random,
    course: Course,
    visit: Visit,
    now: dt.datetime,
    previous: TreatmentSession | None,
) -> TreatmentSession:
    clinician = course.context.clinician
    started = visit.started
    session = _session(rng, course, started, now, visit.pain)
    if course.context.needling_permitted:  # the pre-needling re-check reads the day's screen
        session.safety_screen = _screen_of_the_day(rows, rng, course, started)
        session.safety_checked_at, session.safety_checked_by = started, clinician
        document_findings(session, previous, clinician)
    rows.sessions.append(session)
    entries: list[NeedlingEntry] = []
    if course.can_needle:
        if previous is None and (ack := guidance_acknowledgement(rng, session, clinician)):
            rows.acknowledgements.append(ack)
        entries = _needle(rows, rng, session, course, visit.muscles, now)
    if session.signed_at is not None:  # sealed like any signed note (no trigger points)
        seal_note(session, entries, clinician, course.context.credential)
    return session


def _screen_of_the_day(
    rows: TreatmentRows, rng: random.Random, course: Course, started: dt.datetime
) -> ScreeningRun:
    """The screen a visit's re-check reads: a needled visit after the evaluation's day gets one
    run just before it with the same facts and planned muscles (the demo's record does not
    change between visits), so the same result; otherwise the evaluation's screen."""
    if started.date() == course.opened.date() or not course.can_needle:
        return course.run
    context = course.context
    run = screening_run(
        rng,
        course.episode,
        course.facts,
        course.plan,
        context.practitioner,
        course.run.stored_result,
        context.clinician,
        started - SCREEN_BEFORE_SESSION,
    )
    rows.screens.append(run)
    return run


def seal_note(
    session: TreatmentSession, entries: list[NeedlingEntry], signer: User, credential: Any
) -> None:
    """Seal a signed demo note as ``note_seal_apply`` does, in one JSON pass instead of three.

    The seal stores the snapshot after a round trip through canonical JSON and hashes its
    canonical JSON; as every key is a string, that text is the canonical JSON of the snapshot's
    objects. What the referenced run holds (its screen values, and the muscles and guidance of the
    note's screen, which come from its result) is the same for every visit of a course, so it is
    encoded once per run (``_run_texts``): the snapshot is encoded with a marker in each place,
    and each marker is replaced by its text for the hash and by its stored text (or left out, with
    its key) for the stored snapshot (every demo seal is verified in
    tests/treatments/test_demo_treatments.py)."""
    snapshot = note_snapshot_objects(
        session=session,
        content=content_of(session, entries, []),
        entries=entries,
        trigger_points=(),
        signer=signer,
        credential=credential,
    )
    run = session.safety_screen
    if run is None:
        text = canonical(snapshot)
        session.signed_content_hash = hashlib.sha256(text.encode()).hexdigest()
        session.sealed_snapshot = JsonText(text)
        return
    # The snapshot's screen values are the run's very objects (``TreatmentSession.safety_*``).
    snapshot["content"]["safety_check"].update(SCREEN_MARKERS)
    snapshot["screen"].update(RESULT_MARKERS)
    text = canonical(snapshot)
    texts = _run_texts(run)
    places = []
    for name, marker in (*SCREEN_MARKERS.items(), *RESULT_MARKERS.items()):
        marked = f'"{name}":"{marker}"'
        at = text.find(marked)
        if at < 0 or text.find(marked, at + 1) >= 0:
            raise ValueError(f"the seal's {name} marker is not where it was put")
        places.append((at, at + len(marked), name))
    whole, stored, last = [], [], 0
    for start, end, name in sorted(places):
        whole_text, stored_text = texts[name]
        whole += [text[last:start], f'"{name}":{whole_text}']
        if stored_text is not None:
            stored += [text[last:start], f'"{name}":{stored_text}']
            last = end
            continue
        # Left out with its key and one comma (every value left out has a key after it).
        stored.append(text[last:start] if text[end] == "," else text[last : start - 1])
        last = end + 1 if text[end] == "," else end
        whole.append(text[end:last])
    whole.append(text[last:])
    stored.append(text[last:])
    session.signed_content_hash = hashlib.sha256("".join(whole).encode()).hexdigest()
    session.sealed_snapshot = JsonText("".join(stored))


# Stand-ins while a snapshot is encoded (text no note can hold): the run's screen values in the
# note's safety check, and what the note's screen takes from the run's result.
SCREEN_MARKERS = {name: f"\u2063needlerx-screen-{name}\u2063" for name in SCREEN_VALUES}
RESULT_MARKERS = {name: f"\u2063needlerx-result-{name}\u2063" for name in ("guidance", "muscles")}
_RUN_TEXTS: dict[int, tuple[tuple[Any, ...], dict[str, tuple[str, str | None]]]] = {}
RUN_TEXTS_KEPT = 64  # runs whose texts are kept (a course seals its notes one after another)


def _run_texts(run: ScreeningRun) -> dict[str, tuple[str, str | None]]:
    """Marker name -> (its text in the whole snapshot, its text in the stored snapshot or None
    where it is left out), encoded once for the runs of a course (which share the very objects)."""
    values = tuple(getattr(run, name) for name in SCREEN_VALUES)
    found = _RUN_TEXTS.get(id(values[-1]))
    if found is not None and all(a is b for a, b in zip(found[0], values, strict=True)):
        return found[1]
    if len(_RUN_TEXTS) >= RUN_TEXTS_KEPT:
        _RUN_TEXTS.clear()
    texts: dict[str, tuple[str, str | None]] = {
        name: (canonical(value), None) for name, value in zip(SCREEN_VALUES, values, strict=True)
    }
    screen = screen_of_result(run.result)
    stored = snapshot_to_store({"screen": screen}, run)["screen"]
    texts["guidance"] = (canonical(screen["guidance"]), None)
    texts["muscles"] = (canonical(screen["muscles"]), canonical(stored["muscles"]))
    if "guidance" in stored:
        raise ValueError("the note's guidance is not the run's")
    _RUN_TEXTS[id(values[-1])] = (values, texts)
    return texts


def _consents(rows: TreatmentRows, rng: random.Random, course: Course) -> None:
    needing = findings_needing_rationale(course.result)
    risk_notes = "; ".join(item["title"] for item in needing.values())
    args = (course.patient, course.episode, course.opened, risk_notes)
    rows.consents.append(consent_for(rng, course.context, GENERAL_CONSENT, *args))
    if any(item["technique"] == "electrical" for item in course.allowed):
        rows.consents.append(consent_for(rng, course.context, ELECTRICAL_CONSENT, *args))


RE_EVALUATION_EVERY = dt.timedelta(weeks=3)
OVERDUE_ONE_IN = 10  # open plans whose re-evaluation has passed, as in a busy clinic


def next_re_evaluation(episode: Episode, opened_on: dt.date, today: dt.date) -> dt.date:
    """The plan's re-evaluation date: every three weeks from the evaluation, the clinician moving
    it on at each one, so the plan names the next one from ``today`` (the last visit, for a course
    that has ended); one plan in ten is a few days overdue (chosen by the episode's id, drawing
    nothing)."""
    since = max((today - opened_on).days, 0) // RE_EVALUATION_EVERY.days
    review = opened_on + RE_EVALUATION_EVERY * (since + 1)
    if episode.public_id.int % OVERDUE_ONE_IN == 0 and review - RE_EVALUATION_EVERY > opened_on:
        return review - RE_EVALUATION_EVERY  # the last one, not yet done
    return review


def _plan(
    rows: TreatmentRows,
    rng: random.Random,
    episode: Episode,
    clinician: User,
    review: dt.date,
    written: tuple[dt.datetime, dt.datetime],
    *,
    needling: bool,
) -> None:
    """The plan of care, written at ``written[0]`` and last changed at ``written[1]``."""
    plan = new_instance(
        CarePlan,
        public_id=_uuid(rng),
        created_at=written[0],
        updated_at=written[1],
        episode=episode,
        author=clinician,
        frequency_per_week=2,
        duration_weeks=6,
        re_evaluation_on=review,
        interventions=list(WITH_NEEDLING if needling else WITHOUT_NEEDLING),
    )
    rows.plans.append(plan)
    goal = new_instance(
        CarePlanGoal,
        public_id=_uuid(rng),
        plan=plan,
        measure="nprs",
        description="Usual pain at most 3/10",
        baseline=rng.randint(5, 8),
        target=3,
    )
    rows.goals.append(goal)
    fitting = [e for e in exercise_library().exercises if set(e.regions) & set(episode.regions)]
    for position, exercise in enumerate(rng.sample(fitting, k=min(3, len(fitting)))):
        dosage = exercise.dosage.model_dump()
        rows.exercises.append(
            new_instance(
                HomeExercise,
                public_id=_uuid(rng),
                plan=plan,
                exercise_id=exercise.id,
                position=position,
                **dosage,
            )
        )


def _session(
    rng: random.Random, course: Course, started: dt.datetime, now: dt.datetime, pain: int
) -> TreatmentSession:
    signed = now - started > dt.timedelta(hours=8)
    clinician = course.context.clinician
    other = [{"intervention": "therapeutic_exercise", "minutes": 15, "notes": ""}]
    if not course.context.needling_permitted:
        other.append(
            {
                "intervention": "manual_therapy",
                "minutes": 15,
                "notes": "Soft-tissue mobilisation and joint mobilisation.",
            }
        )
    return new_instance(
        TreatmentSession,
        public_id=_uuid(rng),
        episode=course.episode,
        patient=course.patient,
        clinic=course.patient.clinic,
        clinician=clinician,
        started_at=started,
        pain_now=pain,
        pain_before=pain,
        pain_after=max(0, pain - rng.randint(0, 3)),
        change_since_last=rng.choice(("better", "same", "better", "worse")),
        assessment="Responding to treatment (demo data).",
        plan_notes="Continue plan of care.",
        other_interventions=other,
        signed_at=started + dt.timedelta(hours=1) if signed else None,
        signed_by=clinician if signed else None,
    )


def _needle(
    rows: TreatmentRows,
    rng: random.Random,
    session: TreatmentSession,
    course: Course,
    muscles: list[dict[str, Any]],
    now: dt.datetime,
) -> list[NeedlingEntry]:
    clinician = course.context.clinician
    bmi = session_bmi(course.facts)
    entries: list[NeedlingEntry] = []
    for item in muscles:
        entry = needling_entry(rng, session, item, entries, bmi, clinician)
        (rows.paired_entries if entry.paired_with else rows.entries).append(entry)
        entries.append(entry)
        if entry.depth_warning:
            session.objective_notes = " ".join(
                filter(None, (session.objective_notes, depth_exception_note(entry, bmi)))
            )
    used = sum(entry.needles or 0 for entry in entries)  # the count is the entries' sum
    session.needles_used = session.needles_removed = used
    session.needle_count_entries = [str(entry.public_id) for entry in entries]
    advice = required_aftercare(((e.muscle, e.technique) for e in entries), session.safety_facts)
    session.aftercare_given = [a.id for a in advice]
    events = _adverse_events(rows, rng, session, entries, clinician)
    follow_up_made_at = None
    if now - session.started_at > dt.timedelta(hours=72):
        outcome = "adverse_event" if events else "well"
        follow_up_made_at = session.started_at + dt.timedelta(hours=rng.randint(24, 60))
        rows.follow_ups.append(
            new_instance(
                FollowUp,
                public_id=_uuid(rng),
                session=session,
                method="phone",
                outcome=outcome,
                contacted_at=follow_up_made_at,
                recorded_by=clinician,
            )
        )
    if entries:  # as ``needled_session_refresh`` lists it
        rows.needled.append(
            new_instance(
                NeedledSession,
                session=session,
                clinic=session.clinic,
                clinician=clinician,
                started_at=session.started_at,
                follow_up_made_at=follow_up_made_at,
            )
        )
    # The order the note lists them in is the order they are stored: an entry naming the other
    # electrode is inserted after the rest (``insert_treatment_rows``), so the seal lists it last.
    return sorted(entries, key=lambda entry: entry.paired_with is not None)


def _adverse_events(
    rows: TreatmentRows,
    rng: random.Random,
    session: TreatmentSession,
    entries: list[NeedlingEntry],
    clinician: User,
) -> int:
    """Draw the session's adverse events into ``rows``; how many were drawn."""
    reference = adverse_event_reference()
    drawn = [
        (t.id, t.minimum_severity)
        for t in reference.types
        if t.per_1000_treatments and rng.random() < t.per_1000_treatments / 1000
    ]
    if rng.random() < reference.major_per_1000_treatments / 1000:
        drawn.append(("aggravation", "significant"))
    for event_type, severity in drawn:
        rows.events.append(
            new_instance(
                AdverseEvent,
                public_id=_uuid(rng),
                session=session,
                patient=session.patient,
                clinic=session.clinic,
                needling_entry=rng.choice(entries),
                event_type=event_type,
                severity=severity,
                onset_at=session.started_at + dt.timedelta(minutes=20),
                duration_minutes=rng.choice((30, 120, 1440)),
                action_taken="Reassured; advice given (demo data).",
                recorded_by=clinician,
            )
        )
    return len(drawn)


def prepare_treatment_rows(rows: TreatmentRows, ids: Ids) -> list[Prepared | None]:
    """The rows in dependency order, given ids; an entry naming the other electrode goes in
    after the entry it names."""
    return [
        prepare_keyed(list(rows.results.values())),
        *(
            prepare_objects(objs, ids)
            for objs in (
                rows.screens,
                rows.consents,
                rows.plans,
                rows.goals,
                rows.exercises,
                rows.sessions,
                rows.acknowledgements,
                rows.entries,
                rows.paired_entries,
                rows.events,
                rows.follow_ups,
                rows.needled,
            )
        ),
    ]


def insert_treatment_rows(rows: TreatmentRows) -> None:
    """Bulk-insert in dependency order (inside the caller's transaction)."""
    for prepared in prepare_treatment_rows(rows, Ids()):
        insert_prepared(prepared)


def treatment_rows_for(
    batch: Sequence[tuple[Any, Any]],
    now: dt.datetime,
    contexts: dict[int, ClinicContext] | None = None,
) -> TreatmentRows:
    """Rows for a batch of (ClinicStaff, PatientBundle) from the patient generator; ``contexts``
    (by clinic id) are read here when not given."""
    rows = TreatmentRows()
    contexts = {} if contexts is None else contexts
    for staff, bundle in batch:
        clinic = staff.clinic
        if clinic.pk not in contexts:
            contexts[clinic.pk] = clinic_context(clinic, staff.clinician, clinic_day(clinic, now))
        episode = bundle.episode
        facts = screening_facts(bundle.patient, bundle.facts, bundle.medication, episode.opened_on)
        rng = random.Random(bundle.patient.public_id.int)  # noqa: S311 - synthetic, reproducible
        add_patient_treatment(rows, rng, bundle.patient, episode, facts, contexts[clinic.pk], now)
    return rows


def load_treatments_for_batch(batch: Sequence[tuple[Any, Any]], now: dt.datetime) -> None:
    """Generate and insert the batch's treatment records, with one audit event."""
    rows = treatment_rows_for(batch, now)
    insert_treatment_rows(rows)
    audit_record(action="demo.bulk_load_treatments", detail=rows.counts())
