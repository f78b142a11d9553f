"""Reads of stored screens, scoped through the patient selectors."""

from __future__ import annotations

import uuid

from django.db.models import QuerySet

from needlerx.accounts.models import User
from needlerx.core.errors import NotFound
from needlerx.patients.selectors import patient_get_for_user
from needlerx.screening.models import ScreeningRun


def screening_runs_for_patient(
    *, user: User, patient_id: uuid.UUID | str
) -> QuerySet[ScreeningRun]:
    patient = patient_get_for_user(
        user=user, public_id=patient_id, permission="patient.view_clinical"
    )
    return ScreeningRun.objects.filter(patient=patient).select_related("run_by", "episode")


def screening_latest_for_patient(*, user: User, patient_id: uuid.UUID | str) -> ScreeningRun | None:
    return screening_runs_for_patient(user=user, patient_id=patient_id).first()


def screening_run_get_for_user(*, user: User, public_id: uuid.UUID | str) -> ScreeningRun:
    try:
        run = ScreeningRun.objects.select_related("patient").get(public_id=public_id)
    except (ScreeningRun.DoesNotExist, ValueError):
        raise NotFound("No such screening run.") from None
    patient_get_for_user(
        user=user, public_id=run.patient.public_id, permission="patient.view_clinical"
    )
    return run
