"""The gates before a needle goes in: credential, a current re-check that allows the entry, no
blocking or incomplete screen, a rationale for each finding, and guidance acknowledged."""

from __future__ import annotations

import datetime as dt
from typing import Any

from needlerx.accounts.local import clinic_today
from needlerx.accounts.models import User
from needlerx.accounts.selectors import credential_require_current
from needlerx.clinical.reference import fact_catalogue
from needlerx.core.errors import ApplicationError
from needlerx.core.prepared import ValuesRead, prepared_read
from needlerx.patients.selectors import patient_screening_facts
from needlerx.screening.models import ScreeningRun
from needlerx.treatments.models import GuidanceAcknowledgement, TreatmentSession
from needlerx.treatments.recheck import (
    findings_needing_rationale,
    guidance_items,
    rationale_text,
)
from needlerx.treatments.words import decision_words

BLOCKING_DECISIONS = ("refer", "do_not_needle", "incomplete")


def require_credential(actor: User, on: dt.date) -> None:
    """Refuse unless the actor holds a current credential, saying when it lapsed and who renews."""
    credential_require_current(user=actor, on=on)


def missing_in_words(missing: list[str]) -> str:
    facts = fact_catalogue()
    return ", ".join(facts[m].label.lower() if m in facts else m.replace("_", " ") for m in missing)


def still_missing(session: TreatmentSession, facts: dict[str, Any]) -> list[str]:
    """Required answers the latest stored screen of the episode listed and that are still absent."""
    run = (
        ScreeningRun.objects.screens()
        .filter(episode=session.episode)
        .select_related("stored_result")
        .order_by("-run_at", "-id")
        .first()
    )
    if run is None or run.decision != "incomplete":
        return []
    return [fact for fact in run.result.get("missing", []) if facts.get(fact) is None]


def _refuse_blocking(session: TreatmentSession, result: dict[str, Any], missing: list[str]) -> None:
    decision = session.safety_decision
    if decision == "incomplete" or missing:
        listed = missing or list(result.get("missing", []))
        raise ApplicationError(
            "the screen is incomplete: answer these required questions in the patient's record "
            f"first, then run the re-check again: {missing_in_words(listed)}",
            field="safety_check",
            code="screen_incomplete",
        )
    if decision in BLOCKING_DECISIONS:
        titles = "; ".join(f["title"] for f in result.get("findings", []))
        raise ApplicationError(
            f"the safety re-check decided {decision_words(decision).lower()}"
            + (f" ({titles})" if titles else "")
            + ": needling cannot be recorded in this session",
            field="safety_check",
            code="screen_blocks_needling",
        )


def _require_entry_allowed(result: dict[str, Any], entry: dict[str, str]) -> None:
    for muscle in result.get("muscles", []):
        if all(muscle.get(key) == entry[key] for key in ("muscle", "side", "technique")):
            if not muscle.get("allowed"):
                titles = "; ".join(f["title"] for f in muscle.get("findings", []))
                raise ApplicationError(
                    f"the safety re-check does not allow {entry['muscle']} ({entry['side']}, "
                    f"{entry['technique']}): {titles}",
                    field="muscle",
                    code="screen_blocks_needling",
                )
            return
    raise ApplicationError(
        f"{entry['muscle']} ({entry['side']}, {entry['technique']}) was not in the safety "
        "re-check's plan; run the re-check again including it",
        field="muscle",
        code="safety_check_required",
    )


def _require_rationales(session: TreatmentSession, entry: dict[str, str]) -> None:
    needing = findings_needing_rationale(session.safety_result, entry)
    lacking = [
        item["title"]
        for rule_id, item in needing.items()
        if not rationale_text(session.finding_rationales, session.safety_rationale, rule_id)
    ]
    if lacking:
        raise ApplicationError(
            "document your rationale for each finding before needling: " + "; ".join(lacking),
            field="rationale",
            code="rationale_required",
        )


def guidance_acknowledged(session: TreatmentSession) -> set[str]:
    done: set[str] = set()
    for ack in _acknowledgements.all(episode_id=session.episode_id):
        done.update(ack["guidance_ids"])
    return done


# Prepared once (core.prepared): every visit of a draft note asks it.
@prepared_read()
def _acknowledgements(episode_id: int) -> ValuesRead:
    return GuidanceAcknowledgement.objects.filter(episode_id=episode_id).values("guidance_ids")


def _require_guidance(session: TreatmentSession, entry: dict[str, str]) -> None:
    items = guidance_items(session.safety_result, entry)
    unread = [item for key, item in items.items() if key not in guidance_acknowledged(session)]
    if unread:
        raise ApplicationError(
            "acknowledge the technique guidance for this muscle first (once per episode): "
            + "; ".join(str(item.get("title", "")) for item in unread),
            field="guidance",
            code="guidance_unacknowledged",
        )


def require_safety_clearance(session: TreatmentSession, entry: dict[str, str]) -> None:
    """The latest re-check must be current, allow this entry, and each finding be justified."""
    if session.safety_checked_at is None or session.safety_result is None:
        raise ApplicationError(
            "run the pre-needling safety re-check with the planned muscles first",
            field="safety_check",
            code="safety_check_required",
        )
    facts = patient_screening_facts(patient=session.patient, on=clinic_today(session.clinic))
    if facts != session.safety_facts:
        raise ApplicationError(
            "the patient's screening facts changed since the safety re-check; run it again",
            field="safety_check",
            code="safety_check_required",
        )
    _refuse_blocking(session, session.safety_result, still_missing(session, facts))
    _require_entry_allowed(session.safety_result, entry)
    _require_rationales(session, entry)
    _require_guidance(session, entry)
