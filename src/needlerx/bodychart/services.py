"""Recording trigger points: validate against the muscle catalogue, write, audit."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from needlerx.accounts.models import User
from needlerx.accounts.selectors import require_permission
from needlerx.audit.services import audit_record
from needlerx.bodychart.models import TriggerPoint, TriggerPointStatus
from needlerx.clinical.reference import muscle_catalogue
from needlerx.core.errors import ApplicationError, validate_model
from needlerx.patients.models import Episode

SIDED = ("left", "right")


def _check_muscle_and_side(muscle: str, side: str) -> None:
    catalogue = muscle_catalogue()
    if muscle not in catalogue:
        raise ApplicationError(
            f"unknown muscle {muscle!r}; choose one from the muscle catalog", field="muscle"
        )
    allowed = SIDED if catalogue[muscle].sided else ("midline",)
    if side not in allowed:
        raise ApplicationError(
            f"must be one of {', '.join(allowed)} for {catalogue[muscle].name} (got {side!r})",
            field="side",
        )


@transaction.atomic
def trigger_point_record(
    *,
    actor: User,
    episode: Episode,
    muscle: str,
    side: str,
    status: str,
    taut_band: bool = False,
    local_twitch_response: bool = False,
    referred_pain: bool = False,
    referred_pain_pattern: str = "",
    note: str = "",
) -> TriggerPoint:
    """Record a trigger point found in ``muscle`` on ``side`` during ``episode``."""
    patient = episode.patient
    role = require_permission(
        user=actor, clinic=patient.clinic, permission="patient.record_history"
    )
    _check_muscle_and_side(muscle, side)
    if status not in TriggerPointStatus.values:
        raise ApplicationError(
            f"must be one of {', '.join(TriggerPointStatus.values)} (got {status!r})",
            field="status",
        )
    if referred_pain_pattern and not referred_pain:
        raise ApplicationError(
            "describe a referred-pain pattern only when referred pain is present",
            field="referred_pain_pattern",
        )
    point = TriggerPoint(
        patient=patient,
        episode=episode,
        muscle=muscle,
        side=side,
        status=status,
        taut_band=taut_band,
        local_twitch_response=local_twitch_response,
        referred_pain=referred_pain,
        referred_pain_pattern=referred_pain_pattern.strip(),
        note=note.strip(),
        recorded_at=timezone.now(),
        recorded_by=actor,
    )
    validate_model(point, exclude=["patient", "episode", "recorded_by"])
    point.save()
    audit_record(
        action="trigger_point.record",
        actor=actor,
        actor_role=role,
        clinic=patient.clinic,
        obj=point,
        patient=patient,
        detail={"muscle": muscle, "side": side, "status": status},
    )
    return point
