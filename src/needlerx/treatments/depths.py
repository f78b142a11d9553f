"""Reference depths for the muscles planned in a session, in words for the needling form.

The figures come from ``needlerx.clinical.reference_depth.reference_depth_for`` at the BMI of the
safety re-check; this module only puts them into sentences a clinician reads before needling.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from needlerx.clinical.reference_depth import reference_depth_for
from needlerx.clinical.screening.inputs import body_mass_index
from needlerx.treatments.models import TreatmentSession
from needlerx.treatments.words import muscle_words, side_words


@dataclass(frozen=True)
class DepthRow:
    muscle: str
    sides: str
    mm: float | None
    sentence: str
    fallback: bool
    needs_sign_off: bool
    source: str

    @property
    def short(self) -> str:
        if self.mm is None:
            return f"{self.muscle}: no reference depth"
        note = " (region's most conservative figure)" if self.fallback else ""
        return f"{self.muscle} {self.mm:g} mm{note}"


def session_bmi(facts: dict[str, Any] | None) -> float | None:
    """The BMI the re-check used: recorded, or from height and weight."""
    facts = facts or {}
    if isinstance(facts.get("bmi"), int | float):
        return float(facts["bmi"])
    height, weight = facts.get("height_cm"), facts.get("weight_kg")
    if isinstance(height, int | float) and isinstance(weight, int | float) and height > 0:
        return body_mass_index(height_cm=height, weight_kg=weight)
    return None


def _row(muscle_id: str, sides: list[str], bmi: float | None) -> DepthRow:
    name = muscle_words(muscle_id)
    listed = ", ".join(side_words(side).lower() for side in sides)
    depth = reference_depth_for(muscle_id, bmi)
    if depth is None:
        sentence = "No reference depth has been studied for this muscle."
        return DepthRow(name, listed, None, sentence, False, False, "")
    sentence = (
        f"Deepest depth studied without reaching the {depth.structure.replace('_', ' ')} in "
        f"{depth.population}."
    )
    return DepthRow(
        muscle=name,
        sides=listed,
        mm=depth.mm,
        sentence=sentence,
        fallback=depth.fallback,
        needs_sign_off=depth.source.confidence == "unconfirmed",
        source=depth.source.label(),
    )


def planned_reference_depths(session: TreatmentSession) -> list[DepthRow]:
    """One row per muscle of the session's re-check plan, in plan order."""
    sides: dict[str, list[str]] = {}
    for entry in session.safety_plan or []:
        listed = sides.setdefault(entry["muscle"], [])
        if entry["side"] not in listed:
            listed.append(entry["side"])
    bmi = session_bmi(session.safety_facts)
    return [_row(muscle, listed, bmi) for muscle, listed in sides.items()]
