"""Small builders for treatment tests: a consented episode and a session ready for needling."""

from __future__ import annotations

from typing import Any

from needlerx.accounts.models import User
from needlerx.patients.models import Episode
from needlerx.treatments import services
from needlerx.treatments.models import ConsentRecord, NeedlingEntry, TreatmentSession
from needlerx.treatments.recheck import findings_needing_rationale, guidance_items
from needlerx.treatments.services.gates import guidance_acknowledged

UPPER_TRAPEZIUS = {"muscle": "upper_trapezius", "side": "left", "technique": "static"}
MULTIFIDUS = {"muscle": "lumbar_multifidus", "side": "right", "technique": "static"}


def consent(actor: User, episode: Episode, template_id: str = "dry_needling_general",
            **fields: Any) -> ConsentRecord:  # fmt: skip
    values = {"signer_name": "Pat Example", "signature_kind": "typed",
              "signature_data": "Pat Example", **fields}  # fmt: skip
    return services.consent_record(actor=actor, episode=episode, template_id=template_id, **values)


def checked_session(
    actor: User, episode: Episode, plan: list[dict[str, str]] | None = None,
    rationale: str = "Bolster under the shoulder; pincer grip; needle angled away from the lung.",
) -> TreatmentSession:  # fmt: skip
    session = services.treatment_session_start(actor=actor, episode=episode)
    session = services.treatment_session_safety_check(
        actor=actor, session=session, plan=plan or [UPPER_TRAPEZIUS]
    )
    lacking = [rule_id for rule_id in findings_needing_rationale(session.safety_result)
               if rule_id not in session.finding_rationales]  # fmt: skip
    if lacking and rationale:
        session = services.treatment_session_precaution_rationale(
            actor=actor, session=session, rationales=dict.fromkeys(lacking, rationale)
        )
    if set(guidance_items(session.safety_result)) - guidance_acknowledged(session):
        services.technique_guidance_acknowledge(actor=actor, session=session)
        session = TreatmentSession.objects.get(pk=session.pk)
    return session


def needle(actor: User, session: TreatmentSession, entry: dict[str, str] | None = None,
           **fields: Any) -> NeedlingEntry:  # fmt: skip
    values = {"needle_gauge_mm": 0.25, "needle_length_mm": 30, "max_depth_mm": 15,
              "insertions": 4, "needles": 2, "local_twitch_responses": 2, "duration_seconds": 60,
              **(entry or UPPER_TRAPEZIUS), **fields}  # fmt: skip
    return services.needling_entry_add(actor=actor, session=session, **values)


def fresh(session: TreatmentSession) -> TreatmentSession:
    return TreatmentSession.objects.get(pk=session.pk)
