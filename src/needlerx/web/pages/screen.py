"""The suitability screen: choose muscles, see what the screen says, store it; then its result."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from needlerx.accounts.http import request_user
from needlerx.accounts.models import User
from needlerx.bodychart.chart import build_chart
from needlerx.bodychart.selectors import trigger_points_current
from needlerx.core.errors import ApplicationError
from needlerx.patients.models import Episode
from needlerx.patients.selectors import episode_get_for_user, patient_unanswered_questions
from needlerx.screening import selectors as screening_selectors
from needlerx.screening.models import ScreeningRun
from needlerx.screening.selectors import ScreeningPreview, screening_preview
from needlerx.screening.services import screening_run, screening_run_blocking_every_muscle
from needlerx.web.screen_plan import (
    blocked_reasons,
    clean_technique,
    excluded_keys,
    parse_plan,
    technique_choices,
)

# The button that shows the exclusions for another technique without saving (a POST, so the CSRF
# token never travels in a URL).
UPDATE_EXCLUSIONS = "update_exclusions"


@login_required
def screen(request: HttpRequest, patient_id: uuid.UUID, episode_id: uuid.UUID) -> HttpResponse:
    user = request_user(request)
    episode = episode_get_for_user(
        user=user, public_id=episode_id, permission="screening.run", patient_id=patient_id
    )
    source = request.POST if request.method == "POST" else request.GET
    error: ApplicationError | None = None
    try:
        technique = clean_technique(source.get("technique"))
    except ApplicationError as bad_technique:
        technique, error = "static", bad_technique
    preview = screening_preview(user=user, episode=episode, technique=technique)
    points = trigger_points_current(episode=episode)
    chosen = {key for key, point in points.items() if point.status == "active"}
    if request.method == "POST":
        chosen = {tuple(v.split(":", 1)) for v in request.POST.getlist("plan")}  # type: ignore[misc]
        if error is None and UPDATE_EXCLUSIONS not in request.POST:
            try:
                run = _save_screen(request, user=user, episode=episode, preview=preview)
            except ApplicationError as refused:
                error = refused
            else:
                messages.success(request, "Screen run and saved to the record.")
                return redirect("clinic:screen_result", patient_id=patient_id, run_id=run.public_id)
    chart = build_chart(
        mode="choose",
        trigger_points=points,
        chosen=chosen,
        screen_muscles=preview.result["muscles"],
    )
    context = {
        "patient": episode.patient,
        "episode": episode,
        "chart": chart,
        "preview": preview.result,
        "unanswered": patient_unanswered_questions(
            patient=episode.patient, on=timezone.localdate(), facts=preview.facts
        ),
        "patient_facts": preview.facts,  # the header's alerts read them too
        "preview_digest": preview.digest,
        "blocks_every_muscle": preview.blocks_every_muscle,
        "technique": technique,
        "techniques": technique_choices(),
        "error": error,
    }
    return render(request, "web/screen.html", context, status=400 if error else 200)


def _save_screen(
    request: HttpRequest, *, user: User, episode: Episode, preview: ScreeningPreview
) -> ScreeningRun:
    """Store exactly what the page showed: the chosen muscles, or the whole blocked chart."""
    values = request.POST.getlist("plan")
    digest = request.POST.get("preview_digest") or None
    if not values and preview.blocks_every_muscle:
        return screening_run_blocking_every_muscle(
            actor=user, episode=episode, technique=preview.technique, preview_digest=digest
        )
    plan = parse_plan(
        values, technique=preview.technique, excluded=excluded_keys(preview.result["muscles"])
    )
    return screening_run(actor=user, episode=episode, plan=plan, preview_digest=digest)


@login_required
def screen_result(request: HttpRequest, patient_id: uuid.UUID, run_id: uuid.UUID) -> HttpResponse:
    user = request_user(request)
    run = screening_selectors.screening_run_get_for_user(
        user=user, public_id=run_id, patient_id=patient_id
    )
    chosen = (
        set() if run.whole_catalogue else {(entry["muscle"], entry["side"]) for entry in run.plan}
    )
    chart = build_chart(mode="view", chosen=chosen, screen_muscles=run.result["muscles"])
    context = {
        "patient": run.patient,
        "run": run,
        "result": run.result,
        "chart": chart,
        "blocked_reasons": blocked_reasons(run.result) if run.whole_catalogue else [],
    }
    return render(request, "web/screen_result.html", context)
