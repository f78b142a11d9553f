"""Running the suitability screen for a patient's episode and keeping the result."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from needlerx.accounts.models import Clinic, User
from needlerx.accounts.selectors import credential_current, require_permission
from needlerx.audit.services import audit_record
from needlerx.clinical.screening import screen
from needlerx.core.errors import clinical_errors_as_application_errors
from needlerx.patients.models import Episode
from needlerx.patients.selectors import patient_screening_facts
from needlerx.screening.models import ScreeningRun


def practitioner_context(*, user: User, clinic: Clinic, on: dt.date) -> dict[str, Any]:
    """The clinician's current credential and the clinic's jurisdiction, as the screen reads."""
    credential = credential_current(user=user, on=on)
    return {
        "credential": None
        if credential is None
        else {
            "hours": credential.hours,
            "completed_on": credential.completed_on.isoformat(),
            "expires_on": credential.expires_on.isoformat() if credential.expires_on else None,
        },
        "jurisdiction": clinic.jurisdiction,
        "as_of": on.isoformat(),
    }


@transaction.atomic
def screening_run(
    *,
    actor: User,
    episode: Episode,
    plan: Sequence[Mapping[str, Any]],
    extra_facts: Mapping[str, Any] | None = None,
) -> ScreeningRun:
    """Screen the episode's patient from their stored record (plus ``extra_facts``) and a plan."""
    patient = episode.patient
    role = require_permission(user=actor, clinic=patient.clinic, permission="screening.run")
    today = timezone.localdate()
    facts = {**patient_screening_facts(patient=patient, on=today), **(extra_facts or {})}
    practitioner = practitioner_context(user=actor, clinic=patient.clinic, on=today)
    with clinical_errors_as_application_errors():
        result = screen(facts, plan, practitioner=practitioner).to_dict()
    run = ScreeningRun.objects.create(
        episode=episode,
        patient=patient,
        facts=facts,
        plan=[dict(item) for item in plan],
        practitioner=practitioner,
        result=result,
        decision=result["decision"],
        ruleset_version=result["ruleset_version"],
        run_by=actor,
        run_at=timezone.now(),
    )
    audit_record(
        action="screening.run",
        actor=actor,
        actor_role=role,
        clinic=patient.clinic,
        obj=run,
        patient=patient,
        detail={"decision": run.decision, "ruleset_version": run.ruleset_version},
    )
    return run
