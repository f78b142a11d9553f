"""Synthetic treatment records for demo patients: consent, a plan of care with home exercises,
sessions with needling, adverse events and follow-ups, at published rates.

Adverse events are drawn per needling session from the per-type rates in adverse_events.yaml
(Brady 2014; White 2001; AHPCSA) plus significant events at the Boyce 2020 major rate. Each
patient's needling is screened once with the real screen, so blocked patients get exercise and
education only. Rows are bulk-inserted (like the patients) with one audit event per batch.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from needlerx.accounts.models import User
from needlerx.accounts.selectors import credential_current
from needlerx.audit.services import audit_record
from needlerx.clinical.reference import muscle_catalogue
from needlerx.clinical.screening import screen
from needlerx.clinical.treatment_reference import adverse_event_reference, exercise_library
from needlerx.clinical.treatment_rules import required_aftercare
from needlerx.patients.models import Episode, Patient
from needlerx.patients.selectors import FACT_FOR_ACTIVE_MEDICATION_CLASS
from needlerx.treatments.models import (
    AdverseEvent,
    CarePlan,
    CarePlanGoal,
    ConsentRecord,
    FollowUp,
    HomeExercise,
    NeedlingEntry,
    TreatmentSession,
)
from needlerx.treatments.services.signing import note_seal_apply

# Muscles a demo clinician picks from for each episode region (ids from the muscle catalogue).
MUSCLES_BY_REGION = {
    "cervical": ("upper_trapezius", "levator_scapulae", "splenius_capitis", "cervical_multifidus"),
    "thoracic": ("rhomboid_major", "middle_trapezius", "thoracic_erector_spinae"),
    "lumbar": ("lumbar_multifidus", "lumbar_erector_spinae", "quadratus_lumborum",
               "gluteus_medius"),
}  # fmt: skip
DAYS_BETWEEN_SESSIONS = 4
MAX_SESSIONS = 8
BLOCKING = ("refer", "do_not_needle")


@dataclass
class TreatmentRows:
    consents: list[ConsentRecord] = field(default_factory=list)
    plans: list[CarePlan] = field(default_factory=list)
    goals: list[CarePlanGoal] = field(default_factory=list)
    exercises: list[HomeExercise] = field(default_factory=list)
    sessions: list[TreatmentSession] = field(default_factory=list)
    entries: list[NeedlingEntry] = field(default_factory=list)
    events: list[AdverseEvent] = field(default_factory=list)
    follow_ups: list[FollowUp] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {name: len(rows) for name, rows in vars(self).items()}


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _practitioner(clinician: User, clinic: Any, today: dt.date) -> dict[str, Any]:
    from needlerx.screening.services import practitioner_context

    return practitioner_context(user=clinician, clinic=clinic, on=today)


def _plan_entries(rng: random.Random, episode: Episode) -> list[dict[str, str]]:
    choices = [m for region in episode.regions for m in MUSCLES_BY_REGION.get(region, ())]
    chosen = rng.sample(choices, k=min(len(choices), rng.randint(1, 4)))
    catalogue = muscle_catalogue()
    return [
        {"muscle": m, "side": rng.choice(("left", "right")) if catalogue[m].sided else "midline",
         "technique": "static" if rng.random() < 0.6 else "pistoning"}
        for m in chosen
    ]  # fmt: skip


def add_patient_treatment(
    rows: TreatmentRows, rng: random.Random, patient: Patient, episode: Episode,
    facts: dict[str, Any], clinician: User, practitioner: dict[str, Any], now: dt.datetime,
    credential: Any = None,
) -> None:  # fmt: skip
    """Append one patient's consent, plan, sessions, needling, events and follow-ups to ``rows``."""
    opened = dt.datetime.combine(episode.opened_on, dt.time(9), tzinfo=now.tzinfo)
    plan_entries = _plan_entries(rng, episode)
    facts = {
        **facts,
        "age": patient.age_on(episode.opened_on),
        "height_cm": float(patient.height_cm or 170),
        "weight_kg": float(patient.weight_kg or 70),
    }
    result = screen(facts, plan_entries, practitioner=practitioner).to_dict()
    allowed = [m for m in result["muscles"] if m["allowed"]]
    can_needle = result["decision"] not in BLOCKING and bool(allowed)
    if can_needle:
        rows.consents.append(_consent(rng, patient, episode, clinician, opened))
    _plan(rows, rng, episode, clinician, opened)
    visits = min(MAX_SESSIONS, max(1, (now - opened).days // DAYS_BETWEEN_SESSIONS + 1))
    for number in range(visits):
        started = opened + dt.timedelta(days=number * DAYS_BETWEEN_SESSIONS,
                                        hours=rng.randint(0, 7))  # fmt: skip
        if started > now:
            break
        session = _session(rng, patient, episode, clinician, started, now)
        session.safety_facts, session.safety_plan = facts, plan_entries
        session.safety_practitioner, session.safety_result = practitioner, result
        session.safety_decision = result["decision"]
        session.safety_ruleset_version = result["ruleset_version"]
        session.safety_checked_at, session.safety_checked_by = started, clinician
        if result["decision"] == "proceed_with_precautions":
            session.safety_rationale = "Findings reviewed; technique adapted (demo data)."
        rows.sessions.append(session)
        entries = _needle(rows, rng, session, allowed, clinician, now) if can_needle else []
        if session.signed_at is not None:  # sealed like any signed note (no trigger points)
            note_seal_apply(session, entries=entries, alerts=[], trigger_points=(),
                            signer=clinician, credential=credential)  # fmt: skip


def _consent(
    rng: random.Random, patient: Patient, episode: Episode, clinician: User, at: dt.datetime
) -> ConsentRecord:
    name = patient.full_name
    return ConsentRecord(
        public_id=_uuid(rng), episode=episode, patient=patient,
        template_id="dry_needling_general", template_version=1,
        template_title="Consent to dry needling", text=[{"id": "demo", "heading": "Demo",
                                                         "text": "Demo consent text."}],
        techniques=["static", "pistoning", "superficial"], signer_role="patient",
        signer_name=name, signature_kind="typed", signature_data=name, signed_at=at,
        recorded_by=clinician,
    )  # fmt: skip


def _plan(rows: TreatmentRows, rng: random.Random, episode: Episode, clinician: User,
          at: dt.datetime) -> None:  # fmt: skip
    plan = CarePlan(
        public_id=_uuid(rng), episode=episode, author=clinician, frequency_per_week=2,
        duration_weeks=6, re_evaluation_on=at.date() + dt.timedelta(weeks=3),
        interventions=["dry_needling", "therapeutic_exercise", "education"],
    )  # fmt: skip
    rows.plans.append(plan)
    goal = CarePlanGoal(
        public_id=_uuid(rng), plan=plan, measure="nprs", description="Usual pain at most 3/10",
        baseline=rng.randint(5, 8), target=3,
    )  # fmt: skip
    rows.goals.append(goal)
    fitting = [e for e in exercise_library().exercises if set(e.regions) & set(episode.regions)]
    for position, exercise in enumerate(rng.sample(fitting, k=min(3, len(fitting)))):
        dosage = exercise.dosage.model_dump()
        rows.exercises.append(
            HomeExercise(
                public_id=_uuid(rng),
                plan=plan,
                exercise_id=exercise.id,
                position=position,
                **dosage,
            )
        )


def _session(rng: random.Random, patient: Patient, episode: Episode, clinician: User,
             started: dt.datetime, now: dt.datetime) -> TreatmentSession:  # fmt: skip
    pain = rng.randint(3, 8)
    signed = now - started > dt.timedelta(hours=8)
    return TreatmentSession(
        public_id=_uuid(rng), episode=episode, patient=patient, clinic=patient.clinic,
        clinician=clinician, started_at=started, pain_now=pain, pain_before=pain,
        pain_after=max(0, pain - rng.randint(0, 3)), change_since_last=rng.choice(
            ("better", "same", "better", "worse")),
        assessment="Responding to treatment (demo data).", plan_notes="Continue plan of care.",
        other_interventions=[{"intervention": "therapeutic_exercise", "minutes": 15, "notes": ""}],
        signed_at=started + dt.timedelta(hours=1) if signed else None,
        signed_by=clinician if signed else None,
    )  # fmt: skip


def _needle(
    rows: TreatmentRows, rng: random.Random, session: TreatmentSession,
    allowed: Sequence[dict[str, Any]], clinician: User, now: dt.datetime,
) -> list[NeedlingEntry]:  # fmt: skip
    catalogue = muscle_catalogue()
    entries = []
    for item in allowed:
        safe = catalogue[item["muscle"]].safe_depth_mm or 40
        entries.append(NeedlingEntry(
            public_id=_uuid(rng), session=session, muscle=item["muscle"], side=item["side"],
            technique=item["technique"], needle_gauge_mm=Decimal("0.25"),
            needle_length_mm=Decimal(40 if safe >= 40 else 30),
            max_depth_mm=Decimal(rng.randint(8, int(min(safe, 30)))),
            insertions=rng.randint(1, 8), local_twitch_responses=rng.randint(0, 4),
            duration_seconds=rng.choice((30, 60, 120, 300)), recorded_by=clinician,
        ))  # fmt: skip
    rows.entries.extend(entries)
    for entry in entries:  # the needles each entry used; the count is their sum
        entry.needles = min(rng.randint(1, 2), entry.insertions)
    used = sum(entry.needles or 0 for entry in entries)
    session.needles_used = session.needles_removed = used
    session.needle_count_entries = [str(entry.public_id) for entry in entries]
    advice = required_aftercare((e.muscle, e.technique) for e in entries)
    session.aftercare_given = [a.id for a in advice]
    _adverse_events(rows, rng, session, entries, clinician)
    if now - session.started_at > dt.timedelta(hours=72):
        outcome = "adverse_event" if any(e.session is session for e in rows.events) else "well"
        rows.follow_ups.append(FollowUp(
            public_id=_uuid(rng), session=session, method="phone", outcome=outcome,
            contacted_at=session.started_at + dt.timedelta(hours=rng.randint(24, 60)),
            recorded_by=clinician,
        ))  # fmt: skip
    return entries


def _adverse_events(rows: TreatmentRows, rng: random.Random, session: TreatmentSession,
                    entries: list[NeedlingEntry], clinician: User) -> None:  # fmt: skip
    reference = adverse_event_reference()
    drawn = [(t.id, t.minimum_severity) for t in reference.types
             if t.per_1000_treatments and rng.random() < t.per_1000_treatments / 1000]  # fmt: skip
    if rng.random() < reference.major_per_1000_treatments / 1000:
        drawn.append(("aggravation", "significant"))
    for event_type, severity in drawn:
        rows.events.append(AdverseEvent(
            public_id=_uuid(rng), session=session, patient=session.patient,
            clinic=session.clinic, needling_entry=rng.choice(entries), event_type=event_type,
            severity=severity, onset_at=session.started_at + dt.timedelta(minutes=20),
            duration_minutes=rng.choice((30, 120, 1440)),
            action_taken="Reassured; advice given (demo data).", recorded_by=clinician,
        ))  # fmt: skip


def insert_treatment_rows(rows: TreatmentRows) -> None:
    """Bulk-insert in dependency order (inside the caller's transaction)."""
    ConsentRecord.objects.bulk_create(rows.consents)
    CarePlan.objects.bulk_create(rows.plans)
    CarePlanGoal.objects.bulk_create(rows.goals)
    HomeExercise.objects.bulk_create(rows.exercises)
    TreatmentSession.objects.bulk_create(rows.sessions)
    NeedlingEntry.objects.bulk_create(rows.entries)
    AdverseEvent.objects.bulk_create(rows.events)
    FollowUp.objects.bulk_create(rows.follow_ups)


def treatment_rows_for(batch: Sequence[tuple[Any, Any]], now: dt.datetime) -> TreatmentRows:
    """Rows for a batch of (ClinicStaff, PatientBundle) from the patient generator."""
    rows = TreatmentRows()
    practitioners: dict[int, dict[str, Any]] = {}
    credentials: dict[int, Any] = {}
    for staff, bundle in batch:
        clinic = staff.clinic
        if clinic.pk not in practitioners:
            practitioners[clinic.pk] = _practitioner(staff.clinician, clinic, now.date())
            credentials[clinic.pk] = credential_current(user=staff.clinician, on=now.date())
        facts = dict(bundle.facts)
        medication = bundle.medication or {}
        fact = FACT_FOR_ACTIVE_MEDICATION_CLASS.get(medication.get("drug_class", ""))
        if fact:
            facts[fact] = True
        rng = random.Random(bundle.patient.public_id.int)  # noqa: S311 - synthetic, reproducible
        add_patient_treatment(rows, rng, bundle.patient, bundle.episode, facts, staff.clinician,
                              practitioners[clinic.pk], now,
                              credential=credentials[clinic.pk])  # fmt: skip
    return rows


def load_treatments_for_batch(batch: Sequence[tuple[Any, Any]], now: dt.datetime) -> None:
    """Generate and insert the batch's treatment records, with one audit event."""
    rows = treatment_rows_for(batch, now)
    insert_treatment_rows(rows)
    audit_record(action="demo.bulk_load_treatments", detail=rows.counts())
