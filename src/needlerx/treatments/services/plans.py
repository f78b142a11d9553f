"""Writing a plan of care: goals against a measure, interventions, and the home programme."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from pydantic import ValidationError

from needlerx.accounts.local import clinic_today
from needlerx.accounts.models import User
from needlerx.accounts.selectors import require_permission
from needlerx.audit.services import audit_record
from needlerx.clinical.scoring import INSTRUMENT_IDS
from needlerx.clinical.treatment_rules import exercise_flags, exercise_get
from needlerx.core.errors import (
    ApplicationError,
    clinical_errors_as_application_errors,
    validate_model,
)
from needlerx.patients.models import Episode
from needlerx.patients.selectors import patient_screening_facts
from needlerx.treatments.models import CarePlan, CarePlanGoal, HomeExercise, Intervention
from needlerx.treatments.services.common import DOCUMENT, conflict, require_open_episode

PLAN_FIELDS = ("frequency_per_week", "duration_weeks", "interventions", "re_evaluation_on", "notes")
DOSAGE_FIELDS = (
    "sets",
    "reps",
    "hold_seconds",
    "duration_minutes",
    "times_per_day",
    "days_per_week",
)


def _interventions(values: Any) -> list[str]:
    allowed = Intervention.values
    if not isinstance(values, list) or not values:
        raise ApplicationError(f"choose one or more of {', '.join(allowed)}", field="interventions")
    for index, value in enumerate(values):
        if value not in allowed:
            raise ApplicationError(
                f"unknown intervention {value!r}; allowed: {', '.join(allowed)}",
                field=f"interventions[{index}]",
            )
    return list(dict.fromkeys(values))


def _check_plan_fields(fields: dict[str, Any], today: dt.date) -> None:
    unknown = set(fields) - set(PLAN_FIELDS)
    if unknown:
        raise ApplicationError(
            f"unknown field; allowed: {', '.join(PLAN_FIELDS)}", field=sorted(unknown)[0]
        )
    if "interventions" in fields:
        fields["interventions"] = _interventions(fields["interventions"])
    for name, low, high in (("frequency_per_week", 1, 7), ("duration_weeks", 1, 52)):
        value = fields.get(name)
        if name in fields and (not isinstance(value, int) or not low <= value <= high):
            raise ApplicationError(f"must be a whole number from {low} to {high}", field=name)
    review = fields.get("re_evaluation_on")
    if review is not None and review < today:
        raise ApplicationError("must be today or later", field="re_evaluation_on")


@transaction.atomic
def care_plan_create(
    *,
    actor: User,
    episode: Episode,
    frequency_per_week: int,
    duration_weeks: int,
    interventions: list[str],
    re_evaluation_on: dt.date,
    notes: str = "",
    goals: list[dict[str, Any]] | None = None,
) -> CarePlan:
    patient = episode.patient
    role = require_permission(user=actor, clinic=patient.clinic, permission=DOCUMENT)
    require_open_episode(episode)
    fields: dict[str, Any] = {
        "frequency_per_week": frequency_per_week,
        "duration_weeks": duration_weeks,
        "interventions": interventions,
        "re_evaluation_on": re_evaluation_on,
        "notes": notes,
    }
    _check_plan_fields(fields, clinic_today(patient.clinic))
    plan = CarePlan(episode=episode, author=actor, **fields)
    validate_model(plan, exclude=["episode", "author"])
    plan.save()
    for index, goal in enumerate(goals or []):
        _goal_create(plan, goal, field=f"goals[{index}]")
    audit_record(
        action="care_plan.create",
        actor=actor,
        actor_role=role,
        clinic=patient.clinic,
        obj=plan,
        patient=patient,
        detail={"goals": len(goals or [])},
    )
    return plan


def plan_for_update(*, plan: CarePlan, expected_version: int | None) -> CarePlan:
    """The plan locked for a change; refused once its episode is discharged (the plan is kept as
    it was at discharge)."""
    locked = CarePlan.objects.select_for_update().select_related("episode__patient__clinic")
    current = locked.get(pk=plan.pk)
    require_open_episode(current.episode)
    if expected_version is not None and current.version != expected_version:
        raise conflict("plan of care", expected_version, current.version)
    return current


@transaction.atomic
def care_plan_update(
    *, actor: User, plan: CarePlan, expected_version: int, **fields: Any
) -> CarePlan:
    patient = plan.episode.patient
    role = require_permission(user=actor, clinic=patient.clinic, permission=DOCUMENT)
    current = plan_for_update(plan=plan, expected_version=expected_version)
    _check_plan_fields(fields, clinic_today(patient.clinic))
    for name, value in fields.items():
        setattr(current, name, value)
    validate_model(current, exclude=["episode", "author"])
    current.version += 1
    current.save()
    audit_record(
        action="care_plan.update",
        actor=actor,
        actor_role=role,
        clinic=patient.clinic,
        obj=current,
        patient=patient,
        detail={"fields": sorted(fields)},
    )
    return current


def _decimal(value: Any, field: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise ApplicationError("must be a number", field=field) from None
    if not number.is_finite() or abs(number) >= 100_000:
        raise ApplicationError("must be a number below 100,000", field=field)
    return number


def _goal_create(plan: CarePlan, goal: dict[str, Any], *, field: str) -> CarePlanGoal:
    allowed = ("description", "measure", "measure_detail", "baseline", "target", "target_by")
    unknown = set(goal) - set(allowed)
    if unknown:
        raise ApplicationError(
            f"unknown field; allowed: {', '.join(allowed)}", field=f"{field}.{sorted(unknown)[0]}"
        )
    if goal.get("measure") not in INSTRUMENT_IDS:
        raise ApplicationError(
            f"unknown measure {goal.get('measure')!r}; allowed: {', '.join(INSTRUMENT_IDS)}",
            field=f"{field}.measure",
        )
    target = _decimal(goal.get("target"), f"{field}.target")
    if target is None:
        raise ApplicationError("give the target value of the measure", field=f"{field}.target")
    record = CarePlanGoal(
        plan=plan,
        description=str(goal.get("description", "")).strip(),
        measure=goal["measure"],
        measure_detail=str(goal.get("measure_detail", "")),
        baseline=_decimal(goal.get("baseline"), f"{field}.baseline"),
        target=target,
        target_by=goal.get("target_by"),
    )
    if not record.description:
        raise ApplicationError("describe the goal in words", field=f"{field}.description")
    validate_model(record, exclude=["plan"])
    record.save()
    return record


@transaction.atomic
def care_plan_goal_add(
    *, actor: User, plan: CarePlan, goal: dict[str, Any], expected_version: int | None = None
) -> CarePlanGoal:
    patient = plan.episode.patient
    role = require_permission(user=actor, clinic=patient.clinic, permission=DOCUMENT)
    current = plan_for_update(plan=plan, expected_version=expected_version)
    record = _goal_create(current, goal, field="goal")
    current.version += 1
    current.save(update_fields=["version", "updated_at"])
    audit_record(
        action="care_plan.goal_add",
        actor=actor,
        actor_role=role,
        clinic=patient.clinic,
        obj=record,
        patient=patient,
        detail={"measure": record.measure},
    )
    return record


def _dosage(exercise_id: str, overrides: dict[str, Any]) -> dict[str, Any]:
    unknown = set(overrides) - set(DOSAGE_FIELDS)
    if unknown:
        raise ApplicationError(
            f"unknown dosage field; allowed: {', '.join(DOSAGE_FIELDS)}", field=sorted(unknown)[0]
        )
    with clinical_errors_as_application_errors():
        exercise = exercise_get(exercise_id, field="exercise_id")
    dosage = exercise.dosage.model_dump()
    dosage.update(overrides)
    try:
        type(exercise.dosage).model_validate(dosage)
    except ValidationError as error:
        first = error.errors()[0]
        name = ".".join(str(part) for part in first["loc"]) or "dosage"
        raise ApplicationError(f"{first['msg']} (got {first.get('input')!r})", field=name) from None
    return dosage


@transaction.atomic
def home_exercise_add(
    *,
    actor: User,
    plan: CarePlan,
    exercise_id: str,
    notes: str = "",
    contraindication_rationale: str = "",
    **dosage: Any,
) -> HomeExercise:
    """Add a library exercise with its dosage (library default unless given)."""
    patient = plan.episode.patient
    role = require_permission(user=actor, clinic=patient.clinic, permission=DOCUMENT)
    current = plan_for_update(plan=plan, expected_version=None)
    values = _dosage(exercise_id, dosage)
    exercise = exercise_get(exercise_id)
    facts = patient_screening_facts(patient=patient, on=clinic_today(patient.clinic))
    flags = exercise_flags(exercise, facts)
    if flags and not contraindication_rationale.strip():
        labels = "; ".join(f"{tag.label} ({tag.description})" for tag in flags)
        raise ApplicationError(
            f"{exercise.name} is flagged for this patient: {labels}. Give a rationale to add it, "
            "or choose another exercise",
            field="contraindication_rationale",
            code="rationale_required",
        )
    if HomeExercise.objects.filter(plan=current, exercise_id=exercise_id).exists():
        raise ApplicationError("is already in this program", field="exercise_id")
    record = HomeExercise.objects.create(
        plan=current,
        exercise_id=exercise_id,
        notes=notes.strip()[:300],
        flagged_tags=[tag.id for tag in flags],
        contraindication_rationale=contraindication_rationale.strip(),
        position=current.exercises.count(),
        **values,
    )
    current.version += 1
    current.save(update_fields=["version", "updated_at"])
    audit_record(
        action="home_exercise.add",
        actor=actor,
        actor_role=role,
        clinic=patient.clinic,
        obj=record,
        patient=patient,
        detail={"exercise": exercise_id, "flags": record.flagged_tags},
    )
    return record


@transaction.atomic
def home_exercise_remove(*, actor: User, exercise: HomeExercise) -> None:
    plan = exercise.plan
    patient = plan.episode.patient
    role = require_permission(user=actor, clinic=patient.clinic, permission=DOCUMENT)
    current = plan_for_update(plan=plan, expected_version=None)
    audit_record(
        action="home_exercise.remove",
        actor=actor,
        actor_role=role,
        clinic=patient.clinic,
        obj=exercise,
        patient=patient,
        detail={"exercise": exercise.exercise_id},
    )
    exercise.delete()
    current.version += 1
    current.save(update_fields=["version", "updated_at"])


__all__ = [
    "care_plan_create",
    "care_plan_goal_add",
    "care_plan_update",
    "home_exercise_add",
    "home_exercise_remove",
]
