"""Screening endpoints: the stateless screen, stored screens per episode, the muscle catalogue."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Router

from needlerx.accounts.http import request_user
from needlerx.clinical import reference
from needlerx.clinical.screening import screen_request
from needlerx.core.errors import NotFound, clinical_errors_as_application_errors
from needlerx.patients.selectors import episode_get_for_user
from needlerx.screening import selectors, services
from needlerx.screening.models import ScreeningRun
from needlerx.screening.schemas import EpisodeScreenIn, ScreenIn, ScreeningRunOut

router = Router(tags=["screening"])


def run_out(run: ScreeningRun) -> ScreeningRunOut:
    return ScreeningRunOut(
        id=run.public_id,
        episode_id=run.episode.public_id,
        run_at=run.run_at,
        run_by=run.run_by.get_username(),
        decision=run.decision,
        ruleset_version=run.ruleset_version,
        facts=run.facts,
        plan=run.plan,
        result=run.result,
    )


@router.post("/screen", response=dict[str, Any])
def screen_anonymous_facts(request: HttpRequest, payload: ScreenIn) -> dict[str, Any]:
    """Screen facts and a plan that are not stored (same JSON as ``needlerx screen``)."""
    with clinical_errors_as_application_errors():
        return screen_request(payload.model_dump(exclude_none=True)).to_dict()


@router.post("/episodes/{episode_id}/screenings", response={201: ScreeningRunOut})
def episode_screen(
    request: HttpRequest, episode_id: uuid.UUID, payload: EpisodeScreenIn
) -> tuple[int, ScreeningRunOut]:
    user = request_user(request)
    episode = episode_get_for_user(user=user, public_id=episode_id)
    run = services.screening_run(
        actor=user, episode=episode, plan=payload.plan, extra_facts=payload.extra_facts
    )
    return 201, run_out(run)


@router.get("/patients/{patient_id}/screenings", response=list[ScreeningRunOut])
def patient_screenings(request: HttpRequest, patient_id: uuid.UUID) -> list[ScreeningRunOut]:
    runs = selectors.screening_runs_for_patient(user=request_user(request), patient_id=patient_id)
    return [run_out(run) for run in runs[:50]]


@router.get("/muscles", response=list[dict[str, Any]])
def muscle_list(request: HttpRequest) -> list[dict[str, Any]]:
    """The muscle catalogue with regions, areas, structures at risk, depths and sources."""
    return [m.model_dump(mode="json") for m in reference.muscle_catalogue().values()]


@router.get("/muscles/{muscle_id}", response=dict[str, Any])
def muscle_detail(request: HttpRequest, muscle_id: str) -> dict[str, Any]:
    muscle = reference.muscle_catalogue().get(muscle_id)
    if muscle is None:
        raise NotFound(f"No muscle {muscle_id!r} in the catalogue.")
    return muscle.model_dump(mode="json")
