"""Screening endpoints: the stateless screen, stored screens per episode, the muscle catalogue."""

from __future__ import annotations

import uuid

from django.http import HttpRequest
from ninja import Query, Router, Status

from needlerx.accounts.http import request_user
from needlerx.clinical import reference
from needlerx.clinical.reference.schemas import Muscle
from needlerx.clinical.screening import ScreeningResult, screen_request
from needlerx.core.errors import NotFound, clinical_errors_as_application_errors
from needlerx.core.pages import PageQuery, page_of
from needlerx.core.responses import BAD_REQUEST, NOT_FOUND, errors
from needlerx.patients.selectors import episode_get_for_user
from needlerx.screening import selectors, services
from needlerx.screening.models import ScreeningRun
from needlerx.screening.responses import (
    MuscleOut,
    ScreeningRunOut,
    ScreeningRunPage,
    ScreenResultOut,
)
from needlerx.screening.schemas import EpisodeScreenIn, ScreenIn

router = Router(tags=["screening"])
SCREENS_PER_PAGE_MAX = 100


def run_out(run: ScreeningRun) -> ScreeningRunOut:
    return ScreeningRunOut.model_validate(
        {
            "id": run.public_id,
            "episode_id": run.episode.public_id,
            "run_at": run.run_at,
            "run_by": run.run_by.get_username(),
            "decision": run.decision,
            "ruleset_version": run.ruleset_version,
            "facts": run.facts,
            "plan": run.plan,
            "result": run.result,
        }
    )


@router.post("/screen", response={200: ScreenResultOut, **errors(BAD_REQUEST)})
def screen_anonymous_facts(request: HttpRequest, payload: ScreenIn) -> ScreenResultOut:
    """Screen facts and a plan that are not stored (same JSON as ``needlerx screen``)."""
    with clinical_errors_as_application_errors():
        result: ScreeningResult = screen_request(payload.model_dump(exclude_none=True))
    return ScreenResultOut.model_validate(result.to_dict())


@router.post(
    "/episodes/{episode_id}/screenings",
    response={201: ScreeningRunOut, **errors(BAD_REQUEST, NOT_FOUND)},
)
def episode_screen(
    request: HttpRequest, episode_id: uuid.UUID, payload: EpisodeScreenIn
) -> Status[ScreeningRunOut]:
    user = request_user(request)
    episode = episode_get_for_user(user=user, public_id=episode_id)
    run = services.screening_run(
        actor=user, episode=episode, plan=payload.plan, extra_facts=payload.extra_facts
    )
    return Status(201, run_out(run))


@router.get(
    "/patients/{patient_id}/screenings",
    response={200: ScreeningRunPage, **errors(BAD_REQUEST, NOT_FOUND)},
)
def patient_screenings(
    request: HttpRequest, patient_id: uuid.UUID, query: Query[PageQuery]
) -> ScreeningRunPage:
    """The patient's stored screens, newest first, a page at a time (``page_size`` up to 100)
    with ``count``, how many there are in all."""
    runs = selectors.screening_runs_for_patient(user=request_user(request), patient_id=patient_id)
    count, shown = page_of(runs, query, largest=SCREENS_PER_PAGE_MAX)
    return ScreeningRunPage(count=count, results=[run_out(run) for run in shown])


@router.get("/muscles", response={200: list[MuscleOut], **errors()})
def muscle_list(request: HttpRequest) -> list[Muscle]:
    """The muscle catalogue with regions, areas, structures at risk, depths and sources."""
    return list(reference.muscle_catalogue().values())


@router.get("/muscles/{muscle_id}", response={200: MuscleOut, **errors(NOT_FOUND)})
def muscle_detail(request: HttpRequest, muscle_id: str) -> Muscle:
    muscle = reference.muscle_catalogue().get(muscle_id)
    if muscle is None:
        raise NotFound(f"No muscle {muscle_id!r} in the catalog.")
    return muscle
