"""Recording needling on a draft note, behind every safety gate: credential, consent, re-check,
a rationale per finding, plausible numbers, the needles used, an electrode pair that does not
cross the chest or head, and an acknowledged depth warning."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from needlerx.accounts.local import clinic_today
from needlerx.accounts.models import User
from needlerx.clinical.screening.inputs import parse_plan
from needlerx.clinical.treatment_reference import LimitName
from needlerx.clinical.treatment_rules import check_limit, depth_warning
from needlerx.core.errors import ApplicationError, clinical_errors_as_application_errors
from needlerx.treatments.depths import session_bmi
from needlerx.treatments.models import NeedlingEntry, TreatmentSession
from needlerx.treatments.services.circuits import WITHIN_ENTRY, electrode_pair
from needlerx.treatments.services.common import audit, session_for_update, session_save
from needlerx.treatments.services.consent import consent_require_for_technique
from needlerx.treatments.services.gates import require_credential, require_safety_clearance
from needlerx.treatments.services.needled import needled_session_refresh

ELECTRICAL_FIELDS = {
    "frequency_hz": "electrical_frequency_hz",
    "intensity_ma": "electrical_intensity_ma",
    "pulse_width_us": "electrical_pulse_width_us",
    "duration_minutes": "electrical_duration_minutes",
}
ELECTRICAL_REQUIRED = ("frequency_hz", "intensity_ma", "duration_minutes")
NUMBER_FIELDS: tuple[LimitName, ...] = (
    "needle_gauge_mm",
    "needle_length_mm",
    "max_depth_mm",
    "insertions",
    "local_twitch_responses",
    "duration_seconds",
)
WHOLE_NUMBERS = frozenset({"insertions", "local_twitch_responses", "duration_seconds"})


def _needles(needles: Any, insertions: int) -> int:
    """Needles used for this entry: at least one when insertions were made, at most one each."""
    count = int(check_limit("needles_counted", needles, "needles", whole=True))
    if insertions > 0 and count < 1:
        raise ApplicationError(
            "record how many needles this entry used (at least 1 when insertions were made)",
            field="needles",
        )
    if count > insertions:
        raise ApplicationError(
            f"cannot be more than the insertions made ({insertions}): each needle is inserted "
            "at least once",
            field="needles",
        )
    return count


def _electrical(technique: str, electrical: dict[str, Any] | None) -> dict[str, Any] | None:
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
    needles: int,
    local_twitch_responses: int = 0,
    duration_seconds: int | None = None,
    electrical: dict[str, Any] | None = None,
    depth_warning_acknowledged: bool = False,
    paired_with: str | None = None,
    expected_version: int | None = None,
) -> NeedlingEntry:
    """Record one muscle needled. Every gate refuses with a code and the field at fault.

    ``needles`` is how many needles this entry used (the note's needle count must add up to the
    sum); an electrical entry names the entry holding the other electrode in ``paired_with``
    (or ``"this_entry"`` when both electrodes are needles of this entry).
    """
    locked, role = session_for_update(
        actor=actor, session=session, expected_version=expected_version
    )
    now = timezone.now()
    require_credential(actor, clinic_today(session.clinic))
    with clinical_errors_as_application_errors():
        parse_plan([{"muscle": muscle, "side": side, "technique": technique}])
    entry = {"muscle": muscle, "side": side, "technique": technique}
    consent_require_for_technique(episode=locked.episode, technique=technique, at=now)
    require_safety_clearance(locked, entry)
    with clinical_errors_as_application_errors():
        numbers = _numbers(
            {
                "needle_gauge_mm": needle_gauge_mm,
                "needle_length_mm": needle_length_mm,
                "max_depth_mm": max_depth_mm,
                "insertions": insertions,
                "local_twitch_responses": local_twitch_responses,
                "duration_seconds": duration_seconds,
            }
        )
        parameters = _electrical(technique, electrical)
        count = _needles(needles, int(numbers["insertions"]))
        warning = depth_warning(muscle, numbers["max_depth_mm"], session_bmi(locked.safety_facts))
    pair = electrode_pair(locked, technique, muscle, side, paired_with)
    if parameters is not None and paired_with == WITHIN_ENTRY:
        if count < 2:
            raise ApplicationError(
                "both electrodes in this entry need at least 2 needles", field="needles"
            )
        parameters = {**parameters, "circuit": "within_entry"}
    if warning is not None and not depth_warning_acknowledged:
        raise ApplicationError(warning.message, field="max_depth_mm", code="depth_warning")
    record = NeedlingEntry.objects.create(
        session=locked,
        muscle=muscle,
        side=side,
        technique=technique,
        needle_gauge_mm=Decimal(str(numbers["needle_gauge_mm"])),
        needle_length_mm=Decimal(str(numbers["needle_length_mm"])),
        max_depth_mm=Decimal(str(numbers["max_depth_mm"])),
        insertions=int(numbers["insertions"]),
        needles=count,
        paired_with=pair,
        local_twitch_responses=int(numbers["local_twitch_responses"]),
        duration_seconds=int(numbers["duration_seconds"]) if duration_seconds is not None else None,
        electrical=parameters,
        depth_warning=warning.to_dict() if warning else None,
        depth_warning_acknowledged=warning is not None,
        recorded_by=actor,
    )
    session_save(locked, [])
    needled_session_refresh(locked)
    audit(
        action="needling_entry.add",
        actor=actor,
        role=role,
        session=locked,
        obj=record,
        detail={**entry, "needles": count, "depth_warning": warning is not None},
    )
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
    audit(
        action="needling_entry.remove",
        actor=actor,
        role=role,
        session=locked,
        obj=entry,
        detail={"muscle": entry.muscle, "side": entry.side},
    )
    entry.delete()
    session_save(locked, [])
    needled_session_refresh(locked)
