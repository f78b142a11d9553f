"""Plan of care: goals against a measure, interventions, the home programme and its flags."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from needlerx.core.errors import ApplicationError, NotFound, PermissionDenied
from needlerx.patients.models import Patient
from needlerx.patients.services import history_fact_record
from needlerx.treatments import selectors, services
from needlerx.treatments.models import CarePlan
from tests.personas import World


def _plan(world: World, patient: Patient | None = None, **fields: Any) -> CarePlan:
    episode = world.episode(patient or world.patient())
    review = timezone.localdate() + dt.timedelta(weeks=3)
    values = {
        "frequency_per_week": 2,
        "duration_weeks": 6,
        "re_evaluation_on": review,
        "interventions": ["dry_needling", "therapeutic_exercise"],
        **fields,
    }
    return services.care_plan_create(actor=world.alice, episode=episode, **values)


def test_goals_name_a_measure_from_the_instrument_vocabulary(world):
    plan = _plan(world, goals=[{"description": "NDI under 10", "measure": "ndi", "target": 10}])
    assert plan.goals.get().measure == "ndi"
    with pytest.raises(ApplicationError) as refused:
        _plan(
            world,
            patient=world.patient(mrn="A-2"),
            goals=[{"description": "x", "measure": "happiness", "target": 1}],
        )
    assert refused.value.field == "goals[0].measure"


def test_interventions_and_numbers_are_checked(world):
    with pytest.raises(ApplicationError) as refused:
        _plan(world, interventions=["cupping"])
    assert refused.value.field == "interventions[0]"
    plan = _plan(world, patient=world.patient(mrn="A-3"))
    with pytest.raises(ApplicationError) as stale:
        services.care_plan_update(
            actor=world.alice, plan=plan, expected_version=99, duration_weeks=8
        )
    assert stale.value.code == "conflict"
    updated = services.care_plan_update(
        actor=world.alice, plan=plan, expected_version=plan.version, duration_weeks=8
    )
    assert (updated.duration_weeks, updated.version) == (8, 2)


def test_a_flagged_exercise_needs_a_rationale_for_this_patient(world):
    patient = world.patient()
    history_fact_record(actor=world.alice, patient=patient, fact="pregnant", value=True)
    plan = _plan(world, patient=patient)
    with pytest.raises(ApplicationError) as refused:
        services.home_exercise_add(actor=world.alice, plan=plan, exercise_id="prone_press_up")
    assert refused.value.code == "rationale_required"
    assert "Lying face down" in refused.value.message
    added = services.home_exercise_add(
        actor=world.alice,
        plan=plan,
        exercise_id="prone_press_up",
        reps=5,
        contraindication_rationale="First trimester; discussed and comfortable prone.",
    )
    assert added.flagged_tags == ["prone_lying"] and added.reps == 5
    with pytest.raises(ApplicationError) as bad_dose:
        services.home_exercise_add(actor=world.alice, plan=plan, exercise_id="bridge", sets=40)
    assert bad_dose.value.field == "sets"


def test_the_printable_programme_is_readable_only_by_clinical_staff_of_the_clinic(world):
    plan = _plan(world)
    services.home_exercise_add(actor=world.alice, plan=plan, exercise_id="walking_programme")
    programme = selectors.home_exercise_programme_for_user(user=world.ada, plan_id=plan.public_id)
    assert programme["exercises"][0]["dosage"] == "1 set, 20 minutes, once a day, 5 days a week"
    with pytest.raises(PermissionDenied):
        selectors.home_exercise_programme_for_user(user=world.frank, plan_id=plan.public_id)
    with pytest.raises(NotFound):
        selectors.home_exercise_programme_for_user(user=world.bob, plan_id=plan.public_id)
