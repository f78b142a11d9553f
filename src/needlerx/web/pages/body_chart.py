"""The body chart page: trigger points on the figures, and the form that records them."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from needlerx.accounts.http import request_user
from needlerx.bodychart.chart import build_chart
from needlerx.bodychart.selectors import latest_per_site, trigger_points_for_episode
from needlerx.bodychart.services import trigger_point_record
from needlerx.clinical.reference import muscle_catalogue
from needlerx.core.errors import ApplicationError
from needlerx.patients.selectors import episode_get_for_user
from needlerx.screening.selectors import screening_latest_for_episode
from needlerx.web.forms.body_chart import TriggerPointForm
from needlerx.web.forms.patients import add_application_error


@login_required
def examine(request: HttpRequest, patient_id: uuid.UUID, episode_id: uuid.UUID) -> HttpResponse:
    user = request_user(request)
    episode = episode_get_for_user(user=user, public_id=episode_id, patient_id=patient_id)
    initial = {
        "muscle": request.GET.get("muscle", ""),
        "side": request.GET.get("side", ""),
        "status": "active",
    }
    points = list(trigger_points_for_episode(episode=episode))  # newest first
    current = latest_per_site(points)
    used = {muscle for muscle, _ in current}
    form = TriggerPointForm(request.POST or None, initial=initial, used_muscles=used)
    if request.method == "POST" and form.is_valid():
        try:
            point = trigger_point_record(actor=user, episode=episode, **form.cleaned_data)
        except ApplicationError as error:
            add_application_error(form, error)
        else:
            name = muscle_catalogue()[point.muscle].name
            messages.success(request, f"Trigger point recorded: {name} ({point.side}).")
            return redirect(request.path)
    latest_screen = screening_latest_for_episode(episode=episode)
    chart = build_chart(
        mode="examine",
        trigger_points=current,
        screen_muscles=latest_screen.result["muscles"] if latest_screen else (),
    )
    selected = muscle_catalogue().get(initial["muscle"])
    context = {
        "patient": episode.patient,
        "episode": episode,
        "chart": chart,
        "form": form,
        "points": points,
        "selected": selected,
        "region_url": reverse("bodychart:examine", args=[patient_id, episode_id]),
        "latest_screen": latest_screen,
    }
    return render(request, "bodychart/examine.html", context, status=400 if form.errors else 200)
