"""The plan of care page, the home programme from the library and the printable handout."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from needlerx.patients.models import Episode, Patient
from needlerx.patients.services import history_fact_record
from needlerx.treatments.models import CarePlan, HomeExercise
from needlerx.web.templatetags.web_tags import local_date
from tests.personas import World


def _plan_url(patient: Patient, episode: Episode) -> str:
    return reverse("clinic:plan", args=[patient.public_id, episode.public_id])


def _action(plan: CarePlan, action: str) -> str:
    return reverse(
        "clinic:plan_action", args=[plan.episode.patient.public_id, plan.public_id, action]
    )


def _create(client: Client, patient: Patient, episode: Episode, **extra: Any) -> Any:
    review = (timezone.localdate() + dt.timedelta(weeks=4)).isoformat()
    data = {
        "frequency_per_week": "2",
        "duration_weeks": "6",
        "re_evaluation_on": review,
        "interventions": ["dry_needling", "therapeutic_exercise"],
        **extra,
    }
    return client.post(_plan_url(patient, episode), data)


def test_a_plan_with_a_goal_against_a_measure_is_created_from_the_page(
    client: Client, world: World
):
    patient = world.patient()
    episode = world.episode(patient)
    client.force_login(world.alice)
    assert b"New plan of care" in client.get(_plan_url(patient, episode)).content
    response = _create(
        client,
        patient,
        episode,
        **{
            "goal-description": "Turn the head to reverse the car",
            "goal-measure": "rom",
            "goal-measure_detail": "cervical_rotation_left",
            "goal-baseline": "45",
            "goal-target": "70",
        },
    )
    assert response.status_code == 302
    plan = CarePlan.objects.get()
    assert plan.interventions == ["dry_needling", "therapeutic_exercise"]
    goal = plan.goals.get()
    assert (goal.measure, goal.target, goal.measure_detail) == (
        "rom",
        Decimal(70),
        "cervical_rotation_left",
    )
    page = client.get(_plan_url(patient, episode)).content.decode()
    assert "Turn the head to reverse the car" in page and "Printable handout" in page


def test_plan_errors_are_next_to_the_field_and_nothing_is_saved(client: Client, world: World):
    patient = world.patient()
    episode = world.episode(patient)
    client.force_login(world.alice)
    response = _create(client, patient, episode, frequency_per_week="9")
    assert response.status_code == 400
    assert response.context["plan_form"].errors["frequency_per_week"] == [
        "must be a whole number from 1 to 7"
    ]
    past = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    response = _create(client, patient, episode, re_evaluation_on=past)
    assert response.context["plan_form"].errors["re_evaluation_on"] == ["must be today or later"]
    assert not CarePlan.objects.exists()


def _plan(client: Client, world: World) -> CarePlan:
    patient = world.patient()
    episode = world.episode(patient)
    client.force_login(world.alice)
    _create(client, patient, episode)
    return CarePlan.objects.get()


def test_exercises_from_the_library_with_dosage_make_the_printable_handout(
    client: Client, world: World
):
    plan = _plan(client, world)
    client.post(_action(plan, "exercise"), {"exercise": "chin_tuck_supine", "sets": "2"})
    client.post(_action(plan, "exercise"), {"exercise": "chin_tuck_sitting", "notes": "At work"})
    exercises = list(HomeExercise.objects.order_by("position"))
    assert [(e.exercise_id, e.sets, e.reps) for e in exercises] == [
        ("chin_tuck_supine", 2, 10),
        ("chin_tuck_sitting", 1, 10),
    ]
    patient = plan.episode.patient
    response = client.get(reverse("clinic:handout", args=[patient.public_id, plan.public_id]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Chin tuck lying down" in html and "2 sets of 10 reps, hold 10 s" in html
    assert "At work" in html and "data-print" in html
    client.post(_action(plan, "remove"), {"exercise": str(exercises[0].public_id)})
    assert list(HomeExercise.objects.values_list("exercise_id", flat=True)) == ["chin_tuck_sitting"]


def test_a_flagged_exercise_asks_for_a_rationale_and_shows_its_tag(client: Client, world: World):
    plan = _plan(client, world)
    patient = plan.episode.patient
    history_fact_record(
        actor=world.alice, patient=patient, fact="upper_cervical_instability_signs", value=True
    )
    page = client.get(_plan_url(patient, plan.episode)).content.decode()
    assert "Load on the upper neck: applies to this patient" in page
    response = client.post(_action(plan, "exercise"), {"exercise": "deep_neck_flexor_head_lift"})
    assert response.status_code == 400
    error = response.context["exercise_form"].errors["contraindication_rationale"][0]
    assert "flagged for this patient" in error
    assert not HomeExercise.objects.exists()
    client.post(
        _action(plan, "exercise"),
        {"exercise": "deep_neck_flexor_head_lift", "contraindication_rationale": "Cleared by MD."},
    )
    assert HomeExercise.objects.get().flagged_tags == ["upper_cervical_load"]


def test_a_dosage_out_of_range_is_named_on_its_field(client: Client, world: World):
    plan = _plan(client, world)
    response = client.post(
        _action(plan, "exercise"), {"exercise": "chin_tuck_supine", "sets": "40"}
    )
    assert response.status_code == 400
    assert "40" in response.context["exercise_form"].errors["sets"][0]


def test_another_clinic_cannot_see_or_change_the_plan(client: Client, world: World):
    plan = _plan(client, world)
    patient = plan.episode.patient
    client.force_login(world.bob)
    assert client.get(_plan_url(patient, plan.episode)).status_code == 404
    handout = reverse("clinic:handout", args=[patient.public_id, plan.public_id])
    assert client.get(handout).status_code == 404
    response = client.post(_action(plan, "exercise"), {"exercise": "chin_tuck_supine"})
    assert response.status_code == 404
    assert not HomeExercise.objects.exists()


def test_the_re_evaluation_date_is_flagged_once_due_and_once_passed(client: Client, world: World):
    patient = world.patient()
    episode = world.episode(patient)
    client.force_login(world.alice)
    assert _create(client, patient, episode).status_code == 302
    plans = CarePlan.objects.filter(episode=episode)
    today = timezone.localdate()

    def flag_on(review: dt.date) -> str:
        plans.update(re_evaluation_on=review)
        page = client.get(_plan_url(patient, episode)).content.decode()
        dd = page.split("<dt>Re-evaluation</dt>", 1)[1].split("</dd>", 1)[0]
        return "Overdue" if "Overdue" in dd else "Due today" if "Due today" in dd else ""

    assert flag_on(today + dt.timedelta(days=1)) == ""
    assert flag_on(today) == "Due today"
    assert flag_on(today - dt.timedelta(days=3)) == "Overdue"
    Episode.objects.filter(pk=episode.pk).update(status="discharged", discharged_on=today)
    assert flag_on(today - dt.timedelta(days=3)) == ""  # a discharged episode is not re-evaluated


def test_a_re_evaluation_planned_after_the_discharge_says_it_is_not_needed(
    client: Client, world: World
):
    """The plan of a discharged episode is kept as it was, re-evaluation date included; a date
    after the discharge says it is not needed, rather than reading as a visit still to come."""
    patient = world.patient()
    episode = world.episode(patient)
    client.force_login(world.alice)
    assert _create(client, patient, episode).status_code == 302
    today = timezone.localdate()
    discharged = today - dt.timedelta(days=10)
    Episode.objects.filter(pk=episode.pk).update(status="discharged", discharged_on=discharged)
    plans = CarePlan.objects.filter(episode=episode)

    def shown_on(review: dt.date) -> str:
        plans.update(re_evaluation_on=review)
        page = client.get(_plan_url(patient, episode)).content.decode()
        return page.split("<dt>Re-evaluation</dt>", 1)[1].split("</dd>", 1)[0]

    after = shown_on(discharged + dt.timedelta(days=7))
    assert local_date(discharged + dt.timedelta(days=7)) in after
    assert f"(not needed: discharged on {local_date(discharged)})" in after
    assert "Overdue" not in after
    assert "not needed" not in shown_on(discharged - dt.timedelta(days=7))
