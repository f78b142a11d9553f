"""The progress page: the episode outcome summary, and each measure over time.

Everything is read through one selector of the instruments app (``episode_progress_page``), which
checks that the user may see the episode's measures and reads the episode's measures once.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from needlerx.accounts.http import request_user
from needlerx.accounts.models import User
from needlerx.documents.progress import outcome_presentation
from needlerx.instruments.progress import episode_progress_page


def progress_context(*, user: User, episode_id: uuid.UUID, patient_id: uuid.UUID) -> dict[str, Any]:
    """Charts and outcome summary of the episode as ``user`` may see them (measure.view)."""
    page = episode_progress_page(user=user, episode_id=episode_id, patient_id=patient_id)
    episode = page.episode
    return {
        "patient": episode.patient,
        "episode": episode,
        **outcome_presentation(page.series, page.summary),
    }


@login_required
def progress(request: HttpRequest, patient_id: uuid.UUID, episode_id: uuid.UUID) -> HttpResponse:
    context = progress_context(
        user=request_user(request), episode_id=episode_id, patient_id=patient_id
    )
    return render(request, "web/progress.html", context)
