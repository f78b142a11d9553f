"""The plan of care and the home exercise programme as data for the page and the printout."""

from __future__ import annotations

import uuid
from typing import Any

from needlerx.accounts.models import User
from needlerx.clinical.treatment_reference import exercise_library
from needlerx.patients.selectors import record_shown
from needlerx.treatments.models import CarePlan, HomeExercise
from needlerx.treatments.selectors.access import (
    care_plan_get_for_user,
    treatment_session_get_for_user,
)
from needlerx.treatments.selectors.session_records import session_billing_suggestion


def dosage_text(exercise: HomeExercise) -> str:
    """E.g. '2 sets of 10 reps, hold 5 s, twice a day, 7 days a week'."""
    parts = [f"{exercise.sets} set{'s' if exercise.sets != 1 else ''}"]
    if exercise.reps:
        parts[0] += f" of {exercise.reps} reps"
    if exercise.hold_seconds:
        parts.append(f"hold {exercise.hold_seconds} s")
    if exercise.duration_minutes:
        parts.append(f"{exercise.duration_minutes} minutes")
    times = {1: "once a day", 2: "twice a day"}.get(
        exercise.times_per_day, f"{exercise.times_per_day} times a day"
    )
    parts += [times, f"{exercise.days_per_week} days a week"]
    return ", ".join(parts)


def home_exercise_programme(plan: CarePlan) -> dict[str, Any]:
    library = exercise_library()
    patient = plan.episode.patient
    items = []
    for record in plan.exercises.all():
        exercise = library.exercise(record.exercise_id)
        items.append(
            {
                "id": str(record.public_id),
                "exercise_id": record.exercise_id,
                "name": exercise.name if exercise else record.exercise_id,
                "position": exercise.position if exercise else "",
                "instructions": exercise.instructions if exercise else "",
                "dosage": dosage_text(record),
                "sets": record.sets,
                "reps": record.reps,
                "hold_seconds": record.hold_seconds,
                "duration_minutes": record.duration_minutes,
                "times_per_day": record.times_per_day,
                "days_per_week": record.days_per_week,
                "notes": record.notes,
                "flagged_tags": record.flagged_tags,
            }
        )
    return {
        "patient_name": patient.full_name,
        "clinic": patient.clinic.name,
        "clinician": plan.author.get_full_name() or plan.author.get_username(),
        "plan_id": str(plan.public_id),
        "updated_at": plan.updated_at.isoformat(),
        "exercises": items,
        "library_version": library.version,
        "source_note": library.sources["clinic"].label() if "clinic" in library.sources else "",
    }


def home_exercise_programme_for_user(*, user: User, plan_id: uuid.UUID | str) -> dict[str, Any]:
    """The printable programme for the patient (the page renders this data)."""
    plan = care_plan_get_for_user(user=user, public_id=plan_id)
    record_shown(user=user, patient=plan.episode.patient, obj=plan, what="home_exercise_programme")
    return home_exercise_programme(plan)


def treatment_session_billing_for_user(
    *, user: User, session_id: uuid.UUID | str
) -> dict[str, Any]:
    """The CPT suggestion from the anatomical muscles needled (per side), with the reasoning and
    the episode's ICD-10-CM codes."""
    session = treatment_session_get_for_user(user=user, public_id=session_id)
    return session_billing_suggestion(session)
