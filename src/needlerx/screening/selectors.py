"""Reads of stored screens, scoped through the patient selectors."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from needlerx.accounts.local import clinic_today
from needlerx.accounts.models import User
from needlerx.accounts.selectors import require_permission
from needlerx.clinical.screening import ScreeningResult, screen
from needlerx.core.errors import NotFound, clinical_errors_as_application_errors
from needlerx.patients.models import Episode
from needlerx.patients.selectors import (
    patient_access_check,
    patient_get_for_user,
    record_shown,
    require_same_patient,
)
from needlerx.screening.digest import screening_digest, whole_catalogue_plan
from needlerx.screening.models import ScreeningRun
from needlerx.screening.services import screening_inputs


def screening_runs_for_patient(
    *, user: User, patient_id: uuid.UUID | str
) -> QuerySet[ScreeningRun]:
    patient = patient_get_for_user(
        user=user, public_id=patient_id, permission="patient.view_clinical"
    )
    return (
        ScreeningRun.objects.screens()
        .filter(patient=patient)
        .select_related("run_by", "episode", "stored_result")
    )


def screening_latest_for_patient(*, user: User, patient_id: uuid.UUID | str) -> ScreeningRun | None:
    return screening_runs_for_patient(user=user, patient_id=patient_id).first()


def screening_latest_for_episode(*, episode: Episode) -> ScreeningRun | None:
    """The episode's latest stored screen; the caller has read ``episode`` for the user."""
    return (
        ScreeningRun.objects.screens()
        .filter(episode=episode)
        .select_related("stored_result")
        .first()
    )


def screening_run_get_for_user(
    *, user: User, public_id: uuid.UUID | str, patient_id: uuid.UUID | str | None = None
) -> ScreeningRun:
    try:
        run = ScreeningRun.objects.select_related("patient__clinic", "stored_result").get(
            public_id=public_id
        )
    except (ScreeningRun.DoesNotExist, ValueError, TypeError, ValidationError):
        raise NotFound("No such screening run.") from None
    try:
        patient_access_check(user=user, patient=run.patient, permission="patient.view_clinical")
    except NotFound:  # another clinic's run answers exactly like a missing one
        raise NotFound("No such screening run.") from None
    require_same_patient(patient=run.patient, patient_id=patient_id, what="screening run")
    record_shown(user=user, patient=run.patient, obj=run)
    return run


@dataclass(frozen=True)
class ScreeningPreview:
    """The screen over every catalogue muscle and side, drawn on the chart before choosing.

    ``digest`` names the record it read; the save refuses if the record changed since.
    ``facts`` are the patient's screening facts it read (the patient header shows their risks).
    """

    technique: str
    result: dict[str, Any]
    digest: str
    facts: dict[str, Any]

    @property
    def blocks_every_muscle(self) -> bool:
        return not any(entry["allowed"] for entry in self.result["muscles"])


def screening_preview(*, user: User, episode: Episode, technique: str) -> ScreeningPreview:
    """Nothing is stored: the stored run is the one the clinician saves from this preview."""
    require_permission(user=user, clinic=episode.patient.clinic, permission="screening.run")
    facts, practitioner = screening_inputs(
        user=user, episode=episode, on=clinic_today(episode.patient.clinic)
    )
    digest = screening_digest(facts=facts, practitioner=practitioner)
    with clinical_errors_as_application_errors():
        result = _whole_catalogue_screen(_ScreenOf(digest, technique, facts, practitioner))
    shown = result.to_dict()  # a copy of its own for each page
    return ScreeningPreview(technique=technique, result=shown, digest=digest, facts=facts)


# The screen of every catalogue muscle (about 90 muscles and sides, 5 ms) for the records seen
# last. A draft note draws it on its chart each time it is shown, and it is shown again after
# each step the clinician saves, mostly with the same record. The screen reads nothing but its
# inputs, and the digest covers all of them (the facts, the practitioner with the day, the rule
# set), so a changed record or a new day is a new key: what is kept is never out of date.
SCREENS_KEPT = 256


@dataclass(frozen=True)
class _ScreenOf:
    """A whole-catalogue screen's inputs, equal and hashed by their digest and the technique."""

    digest: str
    technique: str
    facts: Mapping[str, Any] = field(compare=False)
    practitioner: Mapping[str, Any] = field(compare=False)


@lru_cache(maxsize=SCREENS_KEPT)
def _whole_catalogue_screen(inputs: _ScreenOf) -> ScreeningResult:
    plan = whole_catalogue_plan(inputs.technique)
    return screen(inputs.facts, plan, practitioner=inputs.practitioner)
