"""Tasks a patient does from home: the public page a link opens (no sign-in), and the
clinician's pages to send a link, see a patient's tasks and review a serious check-in."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from needlerx.accounts.http import request_user
from needlerx.accounts.local import clinic_conventions
from needlerx.audit.middleware import client_address
from needlerx.clinical.check_in import check_in_reference
from needlerx.clinical.scoring.item_texts import ItemTexts
from needlerx.clinical.scoring.library import get_instrument
from needlerx.consultations.services import AddressLimit, address_attempt_count, address_over_limit
from needlerx.core import local
from needlerx.core.errors import ApplicationError, NotFound
from needlerx.patient_tasks import selectors, services
from needlerx.patient_tasks.models import PatientTask, TaskKind
from needlerx.web.forms.patient_tasks import (
    CheckInForm,
    MedicationDiaryForm,
    QuestionnaireForm,
    SendTaskForm,
    SpasmDiaryForm,
    questionnaire_form,
)
from needlerx.web.forms.patients import add_application_error

# Wrong or guessed links from one address: the public forms' per-address limit, counted apart.
# A patient who mistypes a link a few times is not stopped; a scanner is, for the window.
LINK_MISSES = AddressLimit(
    purpose="needlerx.patient_tasks.link_miss",
    limit_setting="PATIENT_LINK_MISSES_PER_WINDOW",
    default_limit=10,
    window_setting="PATIENT_LINK_MISS_WINDOW_MINUTES",
    default_minutes=60,
    audit_action="patient_task.link_rate_limited",
)
TOO_MANY = 429

STATE_WORDS = {
    "not_yet": "Not open yet",
    "open": "Waiting for the patient",
    "expired": "Expired",
    "done": "Done",
}


def _patient_page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    response = render(request, template, context, status=status)
    # The token never leaves in a Referer to another site; same-origin keeps the form's Origin
    # header (no-referrer makes browsers send "Origin: null", which CSRF refuses).
    response["Referrer-Policy"] = "same-origin"
    return response


def _questionnaire_form(
    task: PatientTask, data: Any = None, texts: ItemTexts | None = None
) -> QuestionnaireForm | SpasmDiaryForm | MedicationDiaryForm:
    activities = selectors.activities_named_at_baseline(task=task)
    return questionnaire_form(get_instrument(task.instrument), activities, data, texts)


@never_cache
def my_task(request: HttpRequest, token: str) -> HttpResponse:
    """The one task a patient's link opens: GET shows it, POST takes the answers once. An
    address that opened too many links that open nothing is refused every link for the rest of
    the window (so a right guess cannot be told apart either)."""
    address = client_address(request)
    if address_over_limit(address, LINK_MISSES):
        refused = {"state": "too_many", "clinic": None, "minutes": LINK_MISSES.minutes()}
        response = _patient_page(request, "patient_tasks/closed.html", refused, TOO_MANY)
        response["Retry-After"] = str(LINK_MISSES.minutes() * 60)
        return response
    try:
        link = selectors.task_for_link(token=token)
    except NotFound:
        address_attempt_count(address, LINK_MISSES)
        invalid = {"state": "invalid", "clinic": None}
        return _patient_page(request, "patient_tasks/closed.html", invalid, 404)
    return task_page(request, link)


def task_page(request: HttpRequest, link: selectors.LinkTask) -> HttpResponse:
    """One task as the patient sees it (from a link, or from their own account's page): GET
    shows it, POST takes the answers once."""
    task = link.task
    with local.activated(clinic_conventions(task.clinic)):
        context: dict[str, Any] = {"task": task, "clinic": task.clinic, "state": link.state}
        if link.state != "open":
            status = {"expired": 410, "not_yet": 200, "done": 200}[link.state]
            if link.state == "done" and request.method == "POST":
                status = 409
            context["opens"] = local.format_datetime(task.valid_from)
            return _patient_page(request, "patient_tasks/closed.html", context, status)
        if task.kind == TaskKind.CHECK_IN:
            return _check_in(request, task, context)
        if task.kind == TaskKind.QUESTIONNAIRE:
            return _questionnaire(request, task, context)
        context["programme"] = selectors.home_programme_for_link(task=task)
        return _patient_page(request, "patient_tasks/home_programme.html", context)


def _check_in(request: HttpRequest, task: PatientTask, context: dict[str, Any]) -> HttpResponse:
    form = CheckInForm(request.POST if request.method == "POST" else None)
    context.update(form=form, reference=check_in_reference())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assessment = services.check_in_submit(
                task=task,
                soreness=int(data["soreness"]),
                bruising=data["bruising"] == "yes",
                effects=data["effects"],
                signs=data["signs"],
                free_text=data["free_text"],
            )
        except ApplicationError as error:
            if error.code in ("task_done", "task_closed"):
                context["state"] = "done" if error.code == "task_done" else "expired"
                return _patient_page(request, "patient_tasks/closed.html", context, 409)
            add_application_error(form, error)
        else:
            context["assessment"] = assessment
            return _patient_page(request, "patient_tasks/thanks.html", context)
    status = 400 if request.method == "POST" else 200
    return _patient_page(request, "patient_tasks/check_in.html", context, status)


def _questionnaire(
    request: HttpRequest, task: PatientTask, context: dict[str, Any]
) -> HttpResponse:
    texts = selectors.licensed_text_for_link(task=task)
    if task.instrument not in services.HOME_INSTRUMENTS and texts is None:
        context["state"] = "unavailable"  # the clinic removed its licensed text since
        return _patient_page(request, "patient_tasks/closed.html", context, 410)
    form = _questionnaire_form(task, request.POST if request.method == "POST" else None, texts)
    context.update(form=form, instrument=get_instrument(task.instrument))
    if request.method == "POST" and form.is_valid():
        try:
            services.questionnaire_submit(task=task, responses=form.responses())
        except ApplicationError as error:
            if error.code in ("task_done", "task_closed"):
                context["state"] = "done"
                return _patient_page(request, "patient_tasks/closed.html", context, 409)
            add_application_error(form, error)
        else:
            return _patient_page(request, "patient_tasks/thanks.html", context)
    status = 400 if request.method == "POST" else 200
    return _patient_page(request, "patient_tasks/questionnaire.html", context, status)


# --- the clinician's side ---------------------------------------------------------------------


def _abbreviation(instrument_id: str) -> str:
    return get_instrument(instrument_id).abbreviation if instrument_id else ""


def _tasks_context(
    request: HttpRequest, patient_id: uuid.UUID, form: SendTaskForm | None = None
) -> dict[str, Any]:
    found = selectors.patient_tasks_for_user(user=request_user(request), patient_id=patient_id)
    patient, tasks = found.patient, found.tasks
    return {
        "patient": patient,
        "rows": [
            {
                "task": t,
                "state": selectors.task_state(t),
                "state_words": STATE_WORDS[selectors.task_state(t)],
                "url": reverse("patient_tasks:review", args=[patient.public_id, t.public_id]),
                "instrument": _abbreviation(t.instrument),
            }
            for t in tasks
        ],
        "form": form
        or SendTaskForm(
            sessions=found.sessions, episodes=found.episodes, instruments=found.instruments
        ),
        "not_loaded": [_abbreviation(i) for i in found.not_loaded],
    }


@login_required
def patient_tasks(request: HttpRequest, patient_id: uuid.UUID) -> HttpResponse:
    """GET the patient's tasks and the send form; POST creates a link (shown once, emailed)."""
    if request.method != "POST":
        context = _tasks_context(request, patient_id)
        chosen = request.GET.get("session", "")
        if chosen in {str(s.public_id) for s in context["form"].sessions}:
            context["form"].initial.update(kind=TaskKind.CHECK_IN, session=chosen)
        return render(request, "patient_tasks/list.html", context)
    user = request_user(request)
    context = _tasks_context(request, patient_id)
    patient = context["patient"]
    form = SendTaskForm(
        request.POST,
        sessions=context["form"].sessions,
        episodes=context["form"].episodes,
        instruments=[choice for choice, _ in context["form"].fields["instrument"].choices][1:],
    )
    context["form"] = form
    if form.is_valid():
        data = form.cleaned_data
        try:
            created = services.patient_task_create(
                actor=user,
                patient=patient,
                kind=data["kind"],
                session=data.get("session"),
                episode=data.get("episode"),
                instrument=data.get("instrument", ""),
            )
        except ApplicationError as error:
            add_application_error(form, error)
        else:
            link = request.build_absolute_uri(reverse("my_task", args=[created.token]))
            emailed = services.patient_task_email(actor=user, task=created.task, link=link)
            context = _tasks_context(request, patient_id)
            context.update(created=created.task, link=link, emailed=emailed)
            return render(request, "patient_tasks/list.html", context)
    return render(request, "patient_tasks/list.html", context, status=400)


@login_required
def task_review(request: HttpRequest, patient_id: uuid.UUID, task_id: uuid.UUID) -> HttpResponse:
    """A task's answers; POST marks a serious check-in reviewed (closes its alert)."""
    user = request_user(request)
    task = selectors.patient_task_get_for_user(user=user, patient_id=patient_id, task_id=task_id)
    if request.method == "POST":
        services.check_in_review(actor=user, task=task)
        messages.success(request, "Check-in reviewed; the alert is closed.")
        return redirect("patient_tasks:review", patient_id, task_id)
    reference = check_in_reference()
    signs = {s.id: s.label for s in reference.warning_signs}
    effects = {e.event_type: e.label for e in reference.other_effects}
    answers = task.answers
    context = {
        "patient": task.patient,
        "task": task,
        "instrument": _abbreviation(task.instrument),
        "state_words": STATE_WORDS[selectors.task_state(task)],
        "signs": [signs.get(s, s) for s in answers.get("signs", [])],
        "effects": [effects.get(e, e) for e in answers.get("effects", [])],
    }
    return render(request, "patient_tasks/review.html", context)
