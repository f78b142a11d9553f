"""Recording needling on a draft note, behind every safety gate: credential, consent, re-check,
precaution rationale, plausible numbers, and an acknowledged depth warning."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from needlerx.accounts.models import User
from needlerx.accounts.selectors import credential_current
from needlerx.clinical.screening.inputs import parse_plan
from needlerx.clinical.treatment_reference import LimitName
from needlerx.clinical.treatment_rules import check_limit, depth_warning
from needlerx.core.errors import ApplicationError, clinical_errors_as_application_errors
from needlerx.patients.selectors import patient_screening_facts
from needlerx.treatments.models import NeedlingEntry, TreatmentSession
from needlerx.treatments.services.common import audit, session_for_update, session_save
from needlerx.treatments.services.consent import consent_require_for_technique

BLOCKING_DECISIONS = ("refer", "do_not_needle")
ELECTRICAL_FIELDS = {
    "frequency_hz": "electrical_frequency_hz",
    "intensity_ma": "electrical_intensity_ma",
    "pulse_width_us": "electrical_pulse_width_us",
    "duration_minutes": "electrical_duration_minutes",
}
ELECTRICAL_REQUIRED = ("frequency_hz", "intensity_ma", "duration_minutes")
NUMBER_FIELDS: tuple[LimitName, ...] = (
    "needle_gauge_mm", "needle_length_mm", "max_depth_mm", "insertions",
    "local_twitch_responses", "duration_seconds",
)  # fmt: skip
WHOLE_NUMBERS = frozenset({"insertions", "local_twitch_responses", "duration_seconds"})


def require_credential(actor: User, on: dt.date) -> None:
    if credential_current(user=actor, on=on) is None:
        raise ApplicationError(
            f"you have no dry-needling credential valid on {on.isoformat()}; only a clinician "
            "with a current credential may record needling (ask a clinic admin to add it)",
            field="credential",
            code="credential_required",
        )


def require_safety_clearance(session: TreatmentSession, entry: dict[str, str]) -> None:
    """The latest re-check must be current, allow this entry, and any precaution be justified."""
    if session.safety_checked_at is None or session.safety_result is None:
        raise ApplicationError(
            "run the pre-needling safety re-check with the planned muscles first",
            field="safety_check", code="safety_check_required",
        )  # fmt: skip
    facts = patient_screening_facts(patient=session.patient, on=timezone.localdate())
    if facts != session.safety_facts:
        raise ApplicationError(
            "the patient's screening facts changed since the safety re-check; run it again",
            field="safety_check", code="safety_check_required",
        )  # fmt: skip
    decision = session.safety_decision
    if decision in BLOCKING_DECISIONS:
        titles = "; ".join(f["title"] for f in session.safety_result.get("findings", []))
        raise ApplicationError(
            f"the safety re-check decided {decision!r}" + (f" ({titles})" if titles else "")
            + ": needling cannot be recorded in this session",
            field="safety_check", code="screen_blocks_needling",
        )  # fmt: skip
    for result in session.safety_result.get("muscles", []):
        if all(result.get(key) == entry[key] for key in ("muscle", "side", "technique")):
            if not result.get("allowed"):
                titles = "; ".join(f["title"] for f in result.get("findings", []))
                raise ApplicationError(
                    f"the safety re-check does not allow {entry['muscle']} ({entry['side']}, "
                    f"{entry['technique']}): {titles}",
                    field="muscle", code="screen_blocks_needling",
                )  # fmt: skip
            break
    else:
        raise ApplicationError(
            f"{entry['muscle']} ({entry['side']}, {entry['technique']}) was not in the safety "
            "re-check's plan; run the re-check again including it",
            field="muscle", code="safety_check_required",
        )  # fmt: skip
    if decision == "proceed_with_precautions" and not session.safety_rationale.strip():
        raise ApplicationError(
            "the safety re-check found precautions: document your rationale before needling",
            field="rationale", code="rationale_required",
        )  # fmt: skip


def _electrical(technique: str, electrical: dict[str, Any] | None) -> dict[str, float] | None:
    if technique != "electrical":
        if electrical:
            raise ApplicationError(
                "electrical parameters are only recorded with the 'electrical' technique",
                field="electrical",
            )
        return None
    given = electrical or {}
    for key in given:
        if key not in ELECTRICAL_FIELDS:
            raise ApplicationError(
                f"unknown parameter; allowed: {', '.join(ELECTRICAL_FIELDS)}",
                field=f"electrical.{key}",
            )
    for key in ELECTRICAL_REQUIRED:
        if given.get(key) is None:
            raise ApplicationError(
                "is required for electrical stimulation", field=f"electrical.{key}"
            )
    return {
        key: check_limit(limit, given[key], f"electrical.{key}")  # type: ignore[arg-type]
        for key, limit in ELECTRICAL_FIELDS.items()
        if given.get(key) is not None
    }


def _bmi(facts: dict[str, Any] | None) -> float | None:
    facts = facts or {}
    if isinstance(facts.get("bmi"), int | float):
        return float(facts["bmi"])
    height, weight = facts.get("height_cm"), facts.get("weight_kg")
    if isinstance(height, int | float) and isinstance(weight, int | float) and height > 0:
        return round(weight / (height / 100) ** 2, 1)
    return None


def _numbers(values: dict[str, Any]) -> dict[str, float]:
    checked: dict[str, float] = {
        name: check_limit(name, values[name], name, whole=name in WHOLE_NUMBERS)
        for name in NUMBER_FIELDS
        if name != "duration_seconds" or values[name] is not None
    }
    if checked["max_depth_mm"] > checked["needle_length_mm"]:
        raise ApplicationError(
            f"cannot be deeper than the needle is long ({checked['needle_length_mm']:g} mm)",
            field="max_depth_mm",
        )
    return checked


@transaction.atomic
def needling_entry_add(
    *,
    actor: User,
    session: TreatmentSession,
    muscle: str,
    side: str,
    technique: str,
    needle_gauge_mm: float,
    needle_length_mm: float,
    max_depth_mm: float,
    insertions: int,
    local_twitch_responses: int = 0,
    duration_seconds: int | None = None,
    electrical: dict[str, Any] | None = None,
    depth_warning_acknowledged: bool = False,
    expected_version: int | None = None,
) -> NeedlingEntry:
    """Record one muscle needled. Every gate refuses with a code and the field at fault."""
    locked, role = session_for_update(
        actor=actor, session=session, expected_version=expected_version
    )
    now = timezone.now()
    require_credential(actor, timezone.localdate())
    with clinical_errors_as_application_errors():
        parse_plan([{"muscle": muscle, "side": side, "technique": technique}])
    entry = {"muscle": muscle, "side": side, "technique": technique}
    consent_require_for_technique(episode=locked.episode, technique=technique, at=now)
    require_safety_clearance(locked, entry)
    with clinical_errors_as_application_errors():
        numbers = _numbers({
            "needle_gauge_mm": needle_gauge_mm, "needle_length_mm": needle_length_mm,
            "max_depth_mm": max_depth_mm, "insertions": insertions,
            "local_twitch_responses": local_twitch_responses, "duration_seconds": duration_seconds,
        })  # fmt: skip
        parameters = _electrical(technique, electrical)
        warning = depth_warning(muscle, numbers["max_depth_mm"], _bmi(locked.safety_facts))
    if warning is not None and not depth_warning_acknowledged:
        raise ApplicationError(warning.message, field="max_depth_mm", code="depth_warning")
    record = NeedlingEntry.objects.create(
        session=locked, muscle=muscle, side=side, technique=technique,
        needle_gauge_mm=Decimal(str(numbers["needle_gauge_mm"])),
        needle_length_mm=Decimal(str(numbers["needle_length_mm"])),
        max_depth_mm=Decimal(str(numbers["max_depth_mm"])),
        insertions=int(numbers["insertions"]),
        local_twitch_responses=int(numbers["local_twitch_responses"]),
        duration_seconds=int(numbers["duration_seconds"]) if duration_seconds is not None else None,
        electrical=parameters, depth_warning=warning.to_dict() if warning else None,
        depth_warning_acknowledged=warning is not None, recorded_by=actor,
    )  # fmt: skip
    session_save(locked, [])
    audit(action="needling_entry.add", actor=actor, role=role, session=locked, obj=record,
          detail={**entry, "depth_warning": warning is not None})  # fmt: skip
    return record


@transaction.atomic
def needling_entry_remove(
    *, actor: User, entry: NeedlingEntry, expected_version: int | None = None
) -> None:
    """Remove an entry recorded in error from a draft (a signed note cannot change)."""
    locked, role = session_for_update(
        actor=actor, session=entry.session, expected_version=expected_version
    )
    if entry.adverse_events.exists():
        raise ApplicationError(
            "an adverse event is linked to this entry; it cannot be removed", field="entry"
        )
    audit(action="needling_entry.remove", actor=actor, role=role, session=locked, obj=entry,
          detail={"muscle": entry.muscle, "side": entry.side})  # fmt: skip
    entry.delete()
    session_save(locked, [])
