"""The plan of care page (goals against a measure, frequency, interventions, re-evaluation, the
home exercise programme from the library) and the printable handout for the patient."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from needlerx.accounts.http import request_user
from needlerx.accounts.models import User
from needlerx.clinical.scoring import instrument_library
from needlerx.clinical.treatment_reference import exercise_library
from needlerx.clinical.treatment_rules import exercise_flags
from needlerx.core.errors import ApplicationError, NotFound
from needlerx.instruments.selectors import instrument_responses_of
from needlerx.patients.models import Episode, EpisodeStatus
from needlerx.patients.selectors import episode_get_for_user, patient_screening_facts
from needlerx.treatments import selectors as treatment_selectors
from needlerx.treatments import services
from needlerx.treatments.models import CarePlan
from needlerx.web.forms import plan as f

Forms = dict[str, forms.Form]


def _episode(user: User, patient_id: uuid.UUID, episode_id: uuid.UUID) -> Episode:
    return episode_get_for_user(
        user=user, public_id=episode_id, permission="treatment.view", patient_id=patient_id
    )


def _plan(user: User, patient_id: uuid.UUID, plan_id: uuid.UUID) -> CarePlan:
    return treatment_selectors.care_plan_get_for_user(
        user=user, public_id=plan_id, patient_id=patient_id
    )


def _library_rows(facts: dict[str, Any]) -> list[dict[str, Any]]:
    """Every library exercise with its tags, marking the tags this patient's facts trigger."""
    library = exercise_library()
    rows = []
    for exercise in library.exercises:
        flagged = {tag.id for tag in exercise_flags(exercise, facts)}
        tags = [(library.tag(t), t in flagged) for t in exercise.contraindication_tags]
        rows.append({"exercise": exercise, "tags": tags, "flagged": bool(flagged)})
    return rows


def _programme(plan: CarePlan, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    by_id = {row["exercise"].id: row for row in rows}
    items = treatment_selectors.home_exercise_programme(plan)["exercises"]
    return [{**item, "tags": by_id.get(item["exercise_id"], {}).get("tags", [])} for item in items]


def _latest_by_measure(user: User, episode: Episode) -> dict[str, str]:
    latest: dict[str, str] = {}
    for record in instrument_responses_of(user=user, episode=episode):
        if record.score is not None:
            latest[record.instrument] = f"{record.score:g} {record.unit}"
    return latest


def _forms(plan: CarePlan | None) -> Forms:
    if plan is None:
        return {"plan_form": f.PlanForm(), "create_goal_form": f.GoalForm(prefix="goal")}
    initial = {name: getattr(plan, name) for name in f.PlanForm.base_fields}
    return {
        "plan_form": f.PlanUpdateForm(initial={**initial, "version": plan.version}),
        "goal_form": f.GoalForm(),
        "exercise_form": f.ExerciseForm(),
    }


def plan_context(
    user: User, episode: Episode, plan: CarePlan | None, bound: Forms | None = None
) -> dict[str, Any]:
    names = {i.id: f"{i.abbreviation}" for i in instrument_library()}
    today = timezone.localdate()
    facts = patient_screening_facts(patient=episode.patient, on=today)
    rows = _library_rows(facts)
    context: dict[str, Any] = {
        "patient_facts": facts,  # the header's alerts read them too
        "patient": episode.patient,
        "episode": episode,
        "plan": plan,
        "measure_names": names,
        "library": rows,
        **_forms(plan),
        **(bound or {}),
    }
    if plan is not None:
        latest = _latest_by_measure(user, episode)
        context["goals"] = [
            {"goal": g, "measure": names.get(g.measure, g.measure), "latest": latest.get(g.measure)}
            for g in plan.goals.all()
        ]
        context["programme"] = _programme(plan, rows)
        context["re_evaluation"] = re_evaluation_status(plan, episode, today)
    return context


def re_evaluation_status(plan: CarePlan, episode: Episode, today: dt.date) -> str:
    """ "overdue" once the plan's re-evaluation date has passed while the episode is open, "due"
    on the day itself; "not_needed" when the episode was discharged before that date (a
    discharged episode is not re-evaluated, and its plan is kept as it was); else ""."""
    if episode.status != EpisodeStatus.OPEN:
        discharged = episode.discharged_on
        return "not_needed" if discharged and plan.re_evaluation_on > discharged else ""
    if plan.re_evaluation_on > today:
        return ""
    return "due" if plan.re_evaluation_on == today else "overdue"


def _refuse(form: forms.Form, error: ApplicationError) -> None:
    field = f.error_field(form, error.field)
    form.add_error(field, error.message if field else f"{error.field}: {error.message}")


@login_required
def plan_page(request: HttpRequest, patient_id: uuid.UUID, episode_id: uuid.UUID) -> HttpResponse:
    """The episode's current plan of care, or the form that creates it."""
    user = request_user(request)
    episode = _episode(user, patient_id, episode_id)
    plan = treatment_selectors.care_plans_of(user=user, episode=episode).first()
    if request.method != "POST":
        return render(request, "web/plan.html", plan_context(user, episode, plan))
    plan_form, goal_form = f.PlanForm(request.POST), f.GoalForm(request.POST, prefix="goal")
    wants_goal = bool(request.POST.get("goal-description"))
    if plan_form.is_valid() and (not wants_goal or goal_form.is_valid()):
        goals = [goal_form.goal()] if wants_goal else []
        try:
            created = services.care_plan_create(
                actor=user, episode=episode, goals=goals, **plan_form.service_fields()
            )
        except ApplicationError as error:
            target = goal_form if (error.field or "").startswith("goals") else plan_form
            _refuse(target, error)
        else:
            messages.success(request, "Plan of care saved.")
            return redirect(
                "clinic:plan", patient_id=patient_id, episode_id=created.episode.public_id
            )
    bound: Forms = {"plan_form": plan_form, "create_goal_form": goal_form}
    return render(request, "web/plan.html", plan_context(user, episode, None, bound), status=400)


class RemoveForm(forms.Form):
    exercise = forms.UUIDField(widget=forms.HiddenInput)


def _update(user: User, plan: CarePlan, form: Any) -> None:
    fields = form.service_fields()
    version = fields.pop("version")
    services.care_plan_update(actor=user, plan=plan, expected_version=version, **fields)


def _remove(user: User, plan: CarePlan, form: Any) -> None:
    public_id = form.cleaned_data["exercise"]
    exercise = treatment_selectors.home_exercise_get_for_user(user=user, public_id=public_id)
    if exercise.plan_id != plan.pk:
        raise NotFound("No such exercise.")
    services.home_exercise_remove(actor=user, exercise=exercise)


@dataclass(frozen=True)
class Action:
    form_name: str
    form_class: type[forms.Form]
    call: Callable[[User, CarePlan, Any], object]
    message: str
    anchor: str


ACTIONS = {
    "update": Action("plan_form", f.PlanUpdateForm, _update, "Plan of care updated.", "plan"),
    "goal": Action(
        "goal_form",
        f.GoalForm,
        lambda user, plan, form: services.care_plan_goal_add(
            actor=user, plan=plan, goal=form.goal()
        ),
        "Goal added.",
        "goals",
    ),
    "exercise": Action(
        "exercise_form",
        f.ExerciseForm,
        lambda user, plan, form: services.home_exercise_add(
            actor=user, plan=plan, **form.service_arguments()
        ),
        "Exercise added to the home program.",
        "programme",
    ),
    "remove": Action(
        "remove_form", RemoveForm, _remove, "Exercise removed from the home program.", "programme"
    ),
}


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def plan_action(
    request: HttpRequest, patient_id: uuid.UUID, plan_id: uuid.UUID, action: str
) -> HttpResponse:
    """One change to an existing plan; a refusal is shown next to the field it names. Opening
    the action's URL (a reload after a refusal) goes to the plan, once the user may see it."""
    step = ACTIONS.get(action)
    if step is None:
        raise Http404("No such action.")
    user = request_user(request)
    plan = _plan(user, patient_id, plan_id)
    if request.method != "POST":
        return redirect("clinic:plan", patient_id=patient_id, episode_id=plan.episode.public_id)
    form = step.form_class(request.POST)
    if form.is_valid():
        try:
            step.call(user, plan, form)
        except ApplicationError as error:
            _refuse(form, error)
        else:
            messages.success(request, step.message)
            url = reverse("clinic:plan", args=[patient_id, plan.episode.public_id])
            return redirect(f"{url}#{step.anchor}")
    plan.refresh_from_db()
    context = plan_context(user, plan.episode, plan, {step.form_name: form})
    context["failed"] = step.anchor
    return render(request, "web/plan.html", context, status=400)


@login_required
def handout(request: HttpRequest, patient_id: uuid.UUID, plan_id: uuid.UUID) -> HttpResponse:
    """The home exercise programme as the patient takes it home (print stylesheet)."""
    user = request_user(request)
    plan = _plan(user, patient_id, plan_id)
    programme = treatment_selectors.home_exercise_programme_for_user(user=user, plan_id=plan_id)
    context = {"patient": plan.episode.patient, "plan": plan, "programme": programme}
    return render(request, "web/handout.html", context)
