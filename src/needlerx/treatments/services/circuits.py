"""Electrode pairs for electrical needling: which entry holds the other electrode, and whether the
circuit crosses the chest, upper back, neck or head (refused). The check itself is clinical
knowledge: ``needlerx.clinical.electrical_circuits.circuit_crosses_protected_region``.
"""

from __future__ import annotations

from needlerx.clinical.electrical_circuits import circuit_crosses_protected_region
from needlerx.clinical.reference import muscle_catalogue
from needlerx.core.errors import ApplicationError
from needlerx.treatments.models import NeedlingEntry, TreatmentSession

WITHIN_ENTRY = "this_entry"


def electrode_pair(
    session: TreatmentSession, technique: str, muscle: str, side: str, paired_with: str | None
) -> NeedlingEntry | None:
    """The entry holding the other electrode (None when both are in this entry); refused when
    missing, not electrical, or when the circuit crosses the chest, thorax or head."""
    if technique != "electrical":
        if paired_with:
            raise ApplicationError(
                "an electrode pair is only recorded with the 'electrical' technique",
                field="paired_with",
            )
        return None
    if not paired_with:
        raise ApplicationError(
            "say where the other electrode is: the id of another electrical entry in this note, "
            f"or {WITHIN_ENTRY!r} when both electrodes are needles of this entry",
            field="paired_with",
        )
    if paired_with == WITHIN_ENTRY:
        return None
    other = _entry(session, paired_with)
    reason = circuit_crosses_protected_region(muscle, side, other.muscle, other.side)
    if reason:
        name = muscle_catalogue()
        raise ApplicationError(
            f"the circuit from {name[muscle].name} ({side}) to {name[other.muscle].name} "
            f"({other.side}) is not allowed. {reason}",
            field="paired_with",
            code="circuit_crosses_protected_region",
        )
    return other


def _entry(session: TreatmentSession, paired_with: str) -> NeedlingEntry:
    other = None
    for entry in session.needling_entries.all():
        if str(entry.public_id) == str(paired_with):
            other = entry
    if other is None:
        raise ApplicationError(
            f"no needling entry {paired_with!r} in this note; pair with an entry already recorded",
            field="paired_with",
        )
    if other.technique != "electrical":
        raise ApplicationError(
            "the paired entry was not needled with electrical stimulation", field="paired_with"
        )
    return other
