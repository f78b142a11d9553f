"""Electrode pairs that must not be used: a circuit across the chest, thorax or head.

Pure and data-driven (data/electrical_circuits.yaml). The session note calls
:func:`circuit_crosses_protected_region` for each electrode pair recorded on a needling entry;
the screen blocks a bilateral electrical entry over the same areas with the rule
TECH-ELECTRICAL-ACROSS-MIDLINE-001.
"""

from __future__ import annotations

from functools import cache

from pydantic import Field

from needlerx.clinical.errors import ClinicalInputError
from needlerx.clinical.evidence import Source
from needlerx.clinical.reference import muscle_catalogue
from needlerx.clinical.reference.loader import DATA_DIR, load_model
from needlerx.clinical.reference.schemas import DataModel, Muscle
from needlerx.clinical.reference.vocabulary import SIDES, Area

AREA_WORDS: dict[str, str] = {
    "chest_wall": "chest",
    "upper_back": "upper back",
    "neck": "neck",
    "head": "head",
}


class CircuitRules(DataModel):
    protected_midline_areas: list[Area] = Field(min_length=1)
    front_of_chest_areas: list[Area] = Field(min_length=1)
    back_of_chest_areas: list[Area] = Field(min_length=1)
    across_midline_reason: str
    through_chest_reason: str
    source: Source


@cache
def circuit_rules() -> CircuitRules:
    return load_model(CircuitRules, DATA_DIR / "electrical_circuits.yaml")


def circuit_crosses_protected_region(
    first_muscle: str, first_side: str, second_muscle: str, second_side: str
) -> str | None:
    """Why this electrode pair is not allowed, or None when the circuit stays clear.

    A pair on opposite sides (or on a bilateral entry) crosses the midline: blocked when either
    muscle lies in a protected area (chest, upper back, neck, head). A pair from the front of the
    chest to the upper back passes through the chest: blocked. Raises ClinicalInputError for an
    unknown muscle or side.
    """
    first = _muscle(first_muscle, "first_muscle")
    second = _muscle(second_muscle, "second_muscle")
    _side(first_side, "first_side")
    _side(second_side, "second_side")
    rules = circuit_rules()
    crosses = first_side != second_side or "bilateral" in (first_side, second_side)
    touched = [a for a in rules.protected_midline_areas if a in first.areas or a in second.areas]
    if crosses and touched:
        names = " and ".join(AREA_WORDS.get(area, area) for area in touched)
        return rules.across_midline_reason.format(areas=names)
    if (_front_only(first, rules) and _back_only(second, rules)) or (
        _front_only(second, rules) and _back_only(first, rules)
    ):
        return rules.through_chest_reason
    return None


def _front_only(muscle: Muscle, rules: CircuitRules) -> bool:
    areas = set(muscle.areas)
    return bool(areas & set(rules.front_of_chest_areas)) and not areas & set(
        rules.back_of_chest_areas
    )


def _back_only(muscle: Muscle, rules: CircuitRules) -> bool:
    areas = set(muscle.areas)
    return bool(areas & set(rules.back_of_chest_areas)) and not areas & set(
        rules.front_of_chest_areas
    )


def _muscle(muscle_id: str, field: str) -> Muscle:
    muscle = muscle_catalogue().get(muscle_id)
    if muscle is None:
        raise ClinicalInputError(field, f"unknown muscle {muscle_id!r}; see the muscle catalog")
    return muscle


def _side(side: str, field: str) -> None:
    if side not in SIDES:
        allowed = ", ".join(SIDES)
        raise ClinicalInputError(field, f"unknown side {side!r}; allowed: {allowed}")
