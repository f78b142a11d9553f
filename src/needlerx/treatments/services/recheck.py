"""The pre-needling safety re-check, its rationale per finding (kept when a finding is unchanged
since the last signed re-check of the episode) and technique guidance acknowledged per episode."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from needlerx.accounts.local import clinic_today
from needlerx.accounts.models import User
from needlerx.clinical.screening import screen
from needlerx.core.errors import ApplicationError, clinical_errors_as_application_errors
from needlerx.patients.selectors import patient_screening_facts
from needlerx.screening.services import practitioner_context, screening_run_stored_for_recheck
from needlerx.treatments.models import GuidanceAcknowledgement, TreatmentSession
from needlerx.treatments.recheck import changes_since, findings_needing_rationale, guidance_items
from needlerx.treatments.services.common import audit, session_for_update, session_save
from needlerx.treatments.services.gates import guidance_acknowledged

RATIONALE_MAX = 5_000


def last_signed_recheck(session: TreatmentSession) -> TreatmentSession | None:
    """The most recently signed note of the episode that ran a re-check (not this one)."""
    return (
        TreatmentSession.objects.filter(
            episode=session.episode, signed_at__isnull=False, safety_screen__isnull=False
        )
        .exclude(pk=session.pk)
        .select_related("safety_screen__stored_result")
        .order_by("-signed_at", "-id")
        .first()
    )


def _carry_forward(locked: TreatmentSession, needing: dict[str, dict[str, Any]]) -> None:
    previous = last_signed_recheck(locked)
    signed = previous.signed_at if previous else None
    before = findings_needing_rationale(previous.safety_result) if previous else None
    changes, carried = changes_since(
        before,
        previous.finding_rationales if previous else None,
        previous.safety_rationale if previous else "",
        needing,
    )
    locked.safety_changes = {
        **changes,
        "since_session": str(previous.public_id) if previous else None,
        "since_signed_at": signed.isoformat() if signed else None,
        "titles": {
            rule_id: item["title"] for rule_id, item in {**(before or {}), **needing}.items()
        },
    }
    locked.finding_rationales = {
        rule_id: {
            "rationale": text,
            "evidence": needing[rule_id]["evidence"],
            "carried_from": str(previous.public_id) if previous else None,
            "by": "",
            "at": "",
        }
        for rule_id, text in carried.items()
    }


@transaction.atomic
def treatment_session_safety_check(
    *,
    actor: User,
    session: TreatmentSession,
    plan: list[dict[str, Any]],
    expected_version: int | None = None,
    rationales: dict[str, str] | None = None,
) -> TreatmentSession:
    """Run the suitability screen with today's facts, this plan and the clinician's credential.

    The exact input and result are stored once, as a screening run the note references. A new
    check replaces the previous one; each finding unchanged since the last signed re-check of the
    episode keeps its rationale, new and changed ones need one (``rationales``, by rule id, or
    later).
    """
    if not plan:
        raise ApplicationError("list the muscles you plan to needle", field="plan")
    locked, role = session_for_update(
        actor=actor, session=session, expected_version=expected_version
    )
    today = clinic_today(session.clinic)
    facts = patient_screening_facts(patient=locked.patient, on=today)
    practitioner = practitioner_context(user=actor, clinic=locked.clinic, on=today)
    with clinical_errors_as_application_errors():
        result = screen(facts, plan, practitioner=practitioner).to_dict()
    locked.safety_checked_at, locked.safety_checked_by = timezone.now(), actor
    locked.safety_screen = run = screening_run_stored_for_recheck(
        actor=actor,
        episode=locked.episode,
        facts=facts,
        plan=plan,
        practitioner=practitioner,
        result=result,
    )
    locked.safety_rationale = ""
    _carry_forward(locked, findings_needing_rationale(result))
    _set_rationales(locked, actor, rationales or {})
    session_save(locked)
    audit(
        action="treatment_session.safety_check",
        actor=actor,
        role=role,
        session=locked,
        detail={
            "decision": locked.safety_decision,
            "changes": locked.safety_changes,
            "ruleset_version": locked.safety_ruleset_version,
            "screening_run": str(run.public_id),
        },
    )
    return locked


def _set_rationales(locked: TreatmentSession, actor: User, rationales: dict[str, str]) -> None:
    needing = findings_needing_rationale(locked.safety_result)
    for rule_id, text in rationales.items():
        if rule_id not in needing:
            allowed = ", ".join(sorted(needing)) or "none (no finding needs a rationale)"
            raise ApplicationError(
                f"no finding of this re-check needs a rationale under that id; allowed: {allowed}",
                field=f"rationales.{rule_id}",
            )
        clean = str(text or "").strip()
        if not clean:
            raise ApplicationError("write the clinical rationale", field=f"rationales.{rule_id}")
        if len(clean) > RATIONALE_MAX:
            raise ApplicationError(
                f"must be at most {RATIONALE_MAX:,} characters", field=f"rationales.{rule_id}"
            )
        locked.finding_rationales = {
            **locked.finding_rationales,
            rule_id: {
                "rationale": clean,
                "evidence": needing[rule_id]["evidence"],
                "carried_from": None,
                "by": actor.get_username(),
                "at": timezone.now().isoformat(),
            },
        }


@transaction.atomic
def treatment_session_precaution_rationale(
    *,
    actor: User,
    session: TreatmentSession,
    rationales: dict[str, str],
    expected_version: int | None = None,
) -> TreatmentSession:
    """Document why needling proceeds despite each finding: one rationale per rule id."""
    locked, role = session_for_update(
        actor=actor, session=session, expected_version=expected_version
    )
    if not locked.safety_checked_at:
        raise ApplicationError("run the pre-needling safety re-check first", field="rationales")
    if not rationales:
        raise ApplicationError("write a rationale for at least one finding", field="rationales")
    _set_rationales(locked, actor, rationales)
    session_save(locked, ["finding_rationales"])
    audit(
        action="treatment_session.precaution_rationale",
        actor=actor,
        role=role,
        session=locked,
        detail={"rule_ids": sorted(rationales)},
    )
    return locked


@transaction.atomic
def technique_guidance_acknowledge(
    *, actor: User, session: TreatmentSession, expected_version: int | None = None
) -> GuidanceAcknowledgement:
    """Acknowledge the technique guidance of the latest re-check, once for the whole episode."""
    locked, role = session_for_update(
        actor=actor, session=session, expected_version=expected_version
    )
    items = guidance_items(locked.safety_result)
    new = sorted(set(items) - guidance_acknowledged(locked))
    if not new:
        raise ApplicationError(
            "no technique guidance left to acknowledge in this episode", field="guidance"
        )
    ack = GuidanceAcknowledgement.objects.create(
        episode=locked.episode,
        guidance_ids=new,
        acknowledged_by=actor,
        acknowledged_at=timezone.now(),
        session=locked,
    )
    session_save(locked, [])
    audit(
        action="technique_guidance.acknowledge",
        actor=actor,
        role=role,
        session=locked,
        obj=ack,
        detail={"guidance_ids": new},
    )
    return ack
