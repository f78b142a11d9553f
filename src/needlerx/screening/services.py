"""Running the suitability screen for a patient's episode and keeping the result.

What is stored is what was shown: the screen page draws its chart from
:func:`needlerx.screening.selectors.screening_preview`, and the services below store a run only
when the facts, the clinician's credential context and the rule set still give the same digest
as that preview. A screen that blocks every muscle is stored with the whole plan the chart showed,
so replaying the stored run gives the same decision.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from needlerx.accounts.local import clinic_today
from needlerx.accounts.models import Clinic, User
from needlerx.accounts.selectors import credential_latest, require_permission
from needlerx.audit.services import audit_record
from needlerx.clinical.screening import screen
from needlerx.core.errors import ApplicationError, clinical_errors_as_application_errors
from needlerx.patients.models import Episode
from needlerx.patients.selectors import patient_screening_facts
from needlerx.screening.digest import result_digest, screening_digest, whole_catalogue_plan
from needlerx.screening.models import ScreeningRun, ScreeningRunKind, StoredResult

DECISIONS_THAT_BLOCK_EVERY_MUSCLE = ("refer", "do_not_needle")


def practitioner_context(*, user: User, clinic: Clinic, on: dt.date) -> dict[str, Any]:
    """The clinician's latest credential and the clinic's jurisdiction, as the screen reads.

    The latest credential, current or not, so an expired one reads "credential expired on ..."
    rather than "no credential recorded".
    """
    credential = credential_latest(user=user)
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


def screening_inputs(
    *, user: User, episode: Episode, on: dt.date, extra_facts: Mapping[str, Any] | None = None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The facts and practitioner context a screen of this episode reads today."""
    patient = episode.patient
    facts = patient_screening_facts(patient=patient, on=on)
    for fact, value in (extra_facts or {}).items():
        if fact in facts and facts[fact] != value:
            raise ApplicationError(
                f"the record already says {facts[fact]!r}; change it in the evaluation, where "
                "every source of the answer is kept (extra facts only add what is not recorded)",
                field=f"extra_facts.{fact}",
            )
        facts[fact] = value
    return facts, practitioner_context(user=user, clinic=patient.clinic, on=on)


@transaction.atomic
def screening_run(
    *,
    actor: User,
    episode: Episode,
    plan: Sequence[Mapping[str, Any]],
    extra_facts: Mapping[str, Any] | None = None,
    preview_digest: str | None = None,
) -> ScreeningRun:
    """Screen the episode's patient from their stored record (plus ``extra_facts``) and a plan.

    An empty plan is stored only when the screen blocks needling whatever is planned (a red
    flag, an absolute contraindication, unanswered required questions); otherwise it would read
    as a clear screen of nothing. ``preview_digest`` is the digest of the screen the clinician
    was shown: if the record changed since, nothing is stored.
    """
    role = require_permission(user=actor, clinic=episode.patient.clinic, permission="screening.run")
    return _screen_and_store(
        actor=actor,
        role=role,
        episode=episode,
        plan=[dict(item) for item in plan],
        extra_facts=extra_facts,
        preview_digest=preview_digest,
        whole_catalogue=False,
        refuse=_refuse_an_empty_plan_that_clears,
    )


@transaction.atomic
def screening_run_blocking_every_muscle(
    *, actor: User, episode: Episode, technique: str, preview_digest: str | None = None
) -> ScreeningRun:
    """Document a screen in which no muscle can be needled with ``technique``.

    The stored plan is every catalogue muscle and side with that technique, exactly as the chart
    showed it, so the stored decision is the one the clinician saw (never a "proceed" for an
    empty plan). Refused when some muscle could in fact be needled.
    """
    role = require_permission(user=actor, clinic=episode.patient.clinic, permission="screening.run")
    return _screen_and_store(
        actor=actor,
        role=role,
        episode=episode,
        plan=whole_catalogue_plan(technique),
        extra_facts=None,
        preview_digest=preview_digest,
        whole_catalogue=True,
        refuse=_refuse_when_a_muscle_is_allowed,
    )


def _refuse_an_empty_plan_that_clears(plan: Sequence[Any], result: Mapping[str, Any]) -> None:
    if not plan and result["decision"] in ("proceed", "proceed_with_precautions"):
        raise ApplicationError("choose at least one muscle to screen", field="plan")


def _refuse_when_a_muscle_is_allowed(plan: Sequence[Any], result: Mapping[str, Any]) -> None:
    if any(entry["allowed"] for entry in result["muscles"]):
        raise ApplicationError(
            "some muscles can be needled with this technique: choose them on the body chart",
            field="plan",
        )


def _screen_and_store(
    *,
    actor: User,
    role: str,
    episode: Episode,
    plan: list[dict[str, Any]],
    extra_facts: Mapping[str, Any] | None,
    preview_digest: str | None,
    whole_catalogue: bool,
    refuse: Callable[[Sequence[Any], Mapping[str, Any]], None],
) -> ScreeningRun:
    """Screen, refuse what must not be stored (nothing written), then store and audit."""
    patient = episode.patient
    today = clinic_today(patient.clinic)
    facts, practitioner = screening_inputs(
        user=actor, episode=episode, on=today, extra_facts=extra_facts
    )
    with clinical_errors_as_application_errors():
        result = screen(facts, plan, practitioner=practitioner).to_dict()
    digest = screening_digest(facts=facts, practitioner=practitioner)
    if preview_digest is not None and preview_digest != digest:
        raise ApplicationError(
            "the patient's record changed after this screen was shown; review the updated "
            "screen below and save again",
            field="preview_digest",
            code="conflict",
        )
    refuse(plan, result)
    run = ScreeningRun.objects.create(
        episode=episode,
        patient=patient,
        clinic_id=patient.clinic_id,
        facts=facts,
        plan=plan,
        practitioner=practitioner,
        stored_result=result_stored(result),
        decision=result["decision"],
        ruleset_version=result["ruleset_version"],
        whole_catalogue=whole_catalogue,
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


def result_stored(result: Mapping[str, Any]) -> StoredResult:
    """The stored result equal to ``result``: the one already stored, else a new one (inside
    the caller's transaction, which stores the run that names it)."""
    stored, _ = StoredResult.objects.get_or_create(
        digest=result_digest(result), defaults={"body": dict(result)}
    )
    return stored


def _as_stored(value: Mapping[str, Any]) -> str:
    """JSON text as a JSON column compares it (tuples are lists, keys in order)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


# How many of an episode's latest runs with the same decision a re-check compares itself with.
RECHECK_REUSE_WINDOW = 20


def screening_run_stored_for_recheck(
    *,
    actor: User,
    episode: Episode,
    facts: Mapping[str, Any],
    plan: Sequence[Mapping[str, Any]],
    practitioner: Mapping[str, Any],
    result: Mapping[str, Any],
) -> ScreeningRun:
    """The stored run a session's pre-needling re-check references: the episode's latest run by
    the same clinician with exactly this input and result when there is one (the screen is stored
    once, not once per note), else a new run of kind "session re-check".

    Called inside the session service's transaction, which checks permission and audits the
    re-check (naming the run); a run is never changed afterwards.
    """
    stored = {
        "facts": dict(facts),
        "plan": [dict(item) for item in plan],
        "practitioner": dict(practitioner),
    }
    candidates = (
        ScreeningRun.objects.filter(
            episode=episode,
            run_by=actor,
            stored_result_id=result_digest(result),
            ruleset_version=result["ruleset_version"],
        )
        .select_related("stored_result")
        .order_by("-run_at", "-id")[:RECHECK_REUSE_WINDOW]
    )
    wanted = _as_stored(stored)
    for run in candidates:
        if _as_stored({name: getattr(run, name) for name in stored}) == wanted:
            return run
    return ScreeningRun.objects.create(
        episode=episode,
        patient=episode.patient,
        clinic_id=episode.patient.clinic_id,
        **stored,
        stored_result=result_stored(result),
        decision=result["decision"],
        ruleset_version=result["ruleset_version"],
        kind=ScreeningRunKind.SESSION_RECHECK,
        run_by=actor,
        run_at=timezone.now(),
    )
