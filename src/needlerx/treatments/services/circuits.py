"""Electrode pairs for electrical needling: which entry holds the other electrode, and whether the
circuit crosses the chest, thorax or head (refused).

``circuit_crosses_protected_region`` is the one function to swap for the shared clinical check
(``needlerx.clinical.electrical_circuits``); until then it reads ``electrode_pairs.yaml``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

from needlerx.clinical.reference import muscle_catalogue
from needlerx.core.errors import ApplicationError
from needlerx.treatments.models import NeedlingEntry, TreatmentSession

WITHIN_ENTRY = "this_entry"
DATA_FILE = Path(__file__).resolve().parents[2] / "clinical" / "data" / "electrode_pairs.yaml"
Electrode = tuple[str, str]  # (muscle id, side)


@cache
def protected_areas() -> frozenset[str]:
    with DATA_FILE.open(encoding="utf-8") as handle:
        data: dict[str, Any] = yaml.safe_load(handle)
    return frozenset(data["protected_areas"])


def circuit_crosses_protected_region(first: Electrode, second: Electrode) -> bool:
    """True when the current between these two needles would cross the chest, thorax or head."""
    catalogue = muscle_catalogue()
    areas = protected_areas()
    sides = {first[1], second[1]}
    opposite = sides == {"left", "right"} or "bilateral" in sides
    return opposite and all(set(catalogue[m].areas) & areas for m, _ in (first, second))


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
    if circuit_crosses_protected_region((muscle, side), (other.muscle, other.side)):
        name = muscle_catalogue()
        raise ApplicationError(
            f"the circuit from {name[muscle].name} ({side}) to {name[other.muscle].name} "
            f"({other.side}) would cross the chest, thorax or head; pair needles on the same "
            "side instead",
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
