"""The demo evaluation's screen: the facts the app would read from the record, the screen stored at
the evaluation, and what a clinician documents on each re-check (a rationale per finding, the
technique guidance acknowledged once per episode). No queries: everything is built in memory.

The rationale texts are demo wording, not clinical facts.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from typing import Any

from needlerx.accounts.models import User
from needlerx.demo.bulk import new_instance
from needlerx.patients.models import Episode, Patient
from needlerx.patients.selectors import FACT_FOR_ACTIVE_MEDICATION_CLASS
from needlerx.screening.digest import result_digest
from needlerx.screening.models import ScreeningRun, StoredResult
from needlerx.treatments.models import GuidanceAcknowledgement, TreatmentSession
from needlerx.treatments.recheck import findings_needing_rationale, guidance_items

# What the demo clinician writes for findings seen often; anything else gets DEFAULT_RATIONALE.
RATIONALES = {
    "CONTRA-RECORD-CONFLICT-001": (
        "Patient confirms taking apixaban; history to be corrected. Treated as anticoagulated: "
        "superficial sites only, firm pressure after each needle (demo data)."
    ),
    "CONTRA-ANTICOAGULANT-001": (
        "Apixaban taken as prescribed, no bruising problems reported. Fewer insertions, firm "
        "pressure for a minute after each needle, bruising advice given (demo data)."
    ),
    "CONTRA-ANTIPLATELET-001": (
        "Low-dose aspirin only; no bleeding history. Pressure after each needle, bruising advice "
        "given (demo data)."
    ),
    "REGION-PLEURA-LOW-BMI-001": (
        "Lean build: needle length chosen for it, depth kept within the reference depth for this "
        "BMI, needle directed onto a rib. Pneumothorax risk explained and noted on the consent "
        "(demo data)."
    ),
    "REGION-PLEURA-ALTERED-ANATOMY-001": (
        "Scoliosis: ribs and muscle borders palpated before each insertion, needle directed onto "
        "a rib, depth within the reference depth (demo data)."
    ),
    "REGION-PLEURA-BOTH-SIDES-001": (
        "Both sides over the chest: one side at a time, breathing checked before the second side "
        "(demo data)."
    ),
    "CONTRA-PREGNANCY-001": (
        "Uncomplicated pregnancy under obstetric care; patient side-lying, fewer insertions, no "
        "electrical stimulation (demo data)."
    ),
    "REGION-PREGNANCY-001": (
        "Pregnant: lumbopelvic sites kept to the fewest needed, patient side-lying and "
        "comfortable throughout (demo data)."
    ),
}
DEFAULT_RATIONALE = (
    "{title}: discussed with the patient, who wishes to go ahead. Technique adapted (fewer "
    "insertions, depth kept within the reference line) and response reviewed after the session "
    "(demo data)."
)


def screening_facts(
    patient: Patient, recorded: dict[str, Any], medication: dict[str, Any] | None, on: dt.date
) -> dict[str, Any]:
    """What ``patients.selectors.patient_screening_facts`` reads from this record, without queries:
    the history, age, height and weight, and the active medication's risk (a history "No" that
    the medication list contradicts becomes a record conflict)."""
    facts: dict[str, Any] = {"age": patient.age_on(on)}
    if patient.height_cm and patient.weight_kg and "bmi" not in recorded:
        facts["height_cm"] = float(patient.height_cm)
        facts["weight_kg"] = float(patient.weight_kg)
    facts.update(recorded)
    others = set()
    drug_fact = FACT_FOR_ACTIVE_MEDICATION_CLASS.get((medication or {}).get("drug_class", ""))
    if drug_fact:
        others.add(drug_fact)
    if recorded.get("implanted_device_sites"):
        others.add("implanted_electrical_device")
    if recorded.get("pregnancy_trimester"):
        others.add("pregnant")
    conflicts = sorted(fact for fact in others if facts.get(fact) is False)
    facts.update(dict.fromkeys(others, True))
    if conflicts:
        facts["record_conflicts"] = conflicts
    return facts


def new_stored_result(result: dict[str, Any]) -> StoredResult:
    """A screen's result as the demo inserts it (``StoredResult``, keyed by its digest, not yet
    saved; ``screening.services.result_stored`` is the service that stores one)."""
    return new_instance(StoredResult, digest=result_digest(result), body=result)


def screening_run(
    rng: random.Random,
    episode: Episode,
    facts: dict[str, Any],
    plan: list[dict[str, str]],
    practitioner: dict[str, Any],
    result: StoredResult,
    clinician: User,
    at: dt.datetime,
) -> ScreeningRun:
    """A screen run with the muscles the clinician planned, naming its stored result."""
    return new_instance(
        ScreeningRun,
        public_id=uuid.UUID(int=rng.getrandbits(128), version=4),
        episode=episode,
        patient=episode.patient,
        clinic_id=episode.patient.clinic_id,
        facts=facts,
        plan=plan,
        practitioner=practitioner,
        stored_result=result,
        decision=result.body["decision"],
        ruleset_version=result.body["ruleset_version"],
        run_by=clinician,
        run_at=at,
    )


def document_findings(
    session: TreatmentSession, previous: TreatmentSession | None, clinician: User
) -> None:
    """One rationale per finding that needs one: written at the first re-check, carried from
    the previous signed note while the finding is unchanged (as the re-check service does)."""
    needing = findings_needing_rationale(session.safety_result)
    carried = previous is not None and previous.signed_at is not None
    rationales = {}
    for rule_id, item in needing.items():
        text = RATIONALES.get(rule_id) or DEFAULT_RATIONALE.format(title=item["title"])
        written = {"by": clinician.get_username(), "at": session.started_at.isoformat()}
        rationales[rule_id] = {
            "rationale": text,
            "evidence": item["evidence"],
            "carried_from": str(previous.public_id) if carried and previous else None,
            **({"by": "", "at": ""} if carried else written),
        }
    session.finding_rationales = rationales
    session.safety_changes = {
        "new": [] if carried else sorted(needing),
        "changed": [],
        "unchanged": sorted(needing) if carried else [],
        "resolved": [],
        "since_session": str(previous.public_id) if carried and previous else None,
        "since_signed_at": previous.signed_at.isoformat()
        if carried and previous and previous.signed_at
        else None,
        "titles": {rule_id: item["title"] for rule_id, item in needing.items()},
    }


def guidance_acknowledgement(
    rng: random.Random, session: TreatmentSession, clinician: User
) -> GuidanceAcknowledgement | None:
    """The technique guidance of the re-check, acknowledged once for the episode."""
    ids = sorted(guidance_items(session.safety_result))
    if not ids:
        return None
    return new_instance(
        GuidanceAcknowledgement,
        public_id=uuid.UUID(int=rng.getrandbits(128), version=4),
        episode=session.episode,
        guidance_ids=ids,
        acknowledged_by=clinician,
        acknowledged_at=session.started_at,
        session=session,
    )
