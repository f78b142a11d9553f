"""Parse and validate the screen's input; every error names the field and what is allowed."""

from __future__ import annotations

import datetime as dt
import difflib
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from needlerx.clinical.errors import ClinicalInputError
from needlerx.clinical.reference import (
    FactDefinition,
    Muscle,
    fact_catalogue,
    fact_choices,
    muscle_catalogue,
)
from needlerx.clinical.reference.vocabulary import (
    AREAS,
    SIDED_SIDES,
    SIDES,
    TECHNIQUES,
    Area,
    Side,
    Technique,
)


@dataclass(frozen=True)
class Site:
    area: Area
    side: Side

    def to_dict(self) -> dict[str, str]:
        return {"area": self.area, "side": self.side}


# A date fact is kept as its validated ISO text (JSON-ready); a fact_ids fact as a sorted list.
FactValue = bool | int | float | str | tuple[Site, ...] | list[str]


@dataclass(frozen=True)
class PlanEntry:
    """One planned muscle, side and technique, as the clinician listed it."""

    index: int
    muscle: Muscle
    side: Side
    technique: Technique


def one_of(values: Sequence[str]) -> str:
    return ", ".join(repr(value) for value in values)


def close_matches(value: str, candidates: Sequence[str]) -> str:
    matches = difflib.get_close_matches(value, candidates, n=3, cutoff=0.6)
    return f"; did you mean {one_of(matches)}?" if matches else ""


def require_mapping(raw: Any, field: str) -> Mapping[str, Any]:
    if not isinstance(raw, Mapping):
        raise ClinicalInputError(field, f"must be an object (got {type(raw).__name__})")
    for key in raw:
        if not isinstance(key, str):
            raise ClinicalInputError(field, f"keys must be strings (got {key!r})")
    return raw


def require_keys(raw: Mapping[str, Any], field: str, allowed: Sequence[str]) -> None:
    for key in raw:
        if key not in allowed:
            prefix = f"{field}." if field else ""
            message = f"unknown field {key!r}; allowed fields are {one_of(allowed)}"
            raise ClinicalInputError(f"{prefix}{key}", message)


def require_choice(value: Any, field: str, allowed: Sequence[str], what: str) -> str:
    if not isinstance(value, str) or value not in allowed:
        hint = close_matches(value, allowed) if isinstance(value, str) else ""
        raise ClinicalInputError(
            field, f"unknown {what} {value!r}{hint}; allowed: {one_of(allowed)}"
        )
    return value


# --- facts ------------------------------------------------------------------------------------


def parse_facts(raw: Any) -> dict[str, FactValue]:
    """Validate each fact against facts.yaml; absent or null facts are simply not recorded.

    Facts the screen computes itself (``provided_by: screen``) are refused. A fact listed in
    ``record_conflicts`` counts as present whatever the history says (any source of risk counts).
    """
    catalogue = fact_catalogue()
    facts: dict[str, FactValue] = {}
    for fact_id, value in require_mapping(raw, "facts").items():
        definition = catalogue.get(fact_id)
        if definition is None:
            hint = close_matches(fact_id, list(catalogue))
            message = f"unknown fact {fact_id!r}{hint} (see the fact catalog, facts.yaml)"
            raise ClinicalInputError(f"facts.{fact_id}", message)
        if definition.provided_by == "screen":
            sources = " and ".join(definition.derived_from)
            message = f"is computed by the screen from {sources}; do not send it"
            raise ClinicalInputError(f"facts.{fact_id}", message)
        if value is not None:
            facts[fact_id] = _parse_fact_value(definition, value)
    _apply_record_conflicts(facts)
    _apply_implications(facts)
    _require_dated_fact(facts)
    _derive_bmi(facts)
    return facts


def _parse_fact_value(definition: FactDefinition, value: Any) -> FactValue:
    field = f"facts.{definition.id}"
    if definition.kind == "boolean":
        if not isinstance(value, bool):
            raise ClinicalInputError(field, f"must be true or false (got {value!r})")
        return value
    if definition.kind == "sites":
        return _parse_sites(value, field)
    if definition.kind == "date":
        return parse_date(value, field).isoformat()
    if definition.kind == "fact_ids":
        return _parse_fact_ids(value, field, fact_choices(definition.id))
    return _parse_number(definition, value, field)


def _parse_fact_ids(value: Any, field: str, allowed: Sequence[str]) -> list[str]:
    if isinstance(value, str | bytes) or not isinstance(value, Sequence):
        raise ClinicalInputError(field, f"must be a list of fact ids from: {one_of(allowed)}")
    for index, item in enumerate(value):
        require_choice(item, f"{field}[{index}]", allowed, "fact id")
    return sorted(set(value))


def _parse_number(definition: FactDefinition, value: Any, field: str) -> int | float:
    whole = definition.kind == "integer"
    kind_ok = isinstance(value, int) if whole else isinstance(value, int | float)
    lowest, highest = definition.minimum, definition.maximum
    unit = f" {definition.unit}" if definition.unit else ""
    what = "a whole number" if whole else "a number"
    expected = f"must be {what} from {lowest:g} to {highest:g}{unit}"
    if isinstance(value, bool) or not kind_ok or not math.isfinite(value):
        raise ClinicalInputError(field, f"{expected} (got {value!r})")
    if (lowest is not None and value < lowest) or (highest is not None and value > highest):
        raise ClinicalInputError(field, f"{expected} (got {value!r})")
    return int(value) if whole else float(value)


def _parse_sites(value: Any, field: str) -> tuple[Site, ...]:
    if isinstance(value, str | bytes) or not isinstance(value, Sequence):
        raise ClinicalInputError(
            field, 'must be a list of sites such as {"area": "neck", "side": "left"}'
        )
    sites: list[Site] = []
    for index, item in enumerate(value):
        where = f"{field}[{index}]"
        entry = require_mapping(item, where)
        require_keys(entry, where, ("area", "side"))
        area = require_choice(entry.get("area"), f"{where}.area", AREAS, "area")
        side = require_choice(entry.get("side"), f"{where}.side", SIDES, "side")
        sites.append(Site(area=area, side=side))  # type: ignore[arg-type]
    return tuple(dict.fromkeys(sites))


def _apply_record_conflicts(facts: dict[str, FactValue]) -> None:
    """Another source says yes: the risk is present even if the history recorded No."""
    conflicts = facts.get("record_conflicts")
    for fact_id in conflicts if isinstance(conflicts, list) else []:
        facts[fact_id] = True


def _apply_implications(facts: dict[str, FactValue]) -> None:
    """A detail implies its fact (facts.yaml ``implies``): a trimester implies pregnancy."""
    for definition in fact_catalogue().values():
        implied, given = definition.implies, facts.get(definition.id)
        if implied is None or given is None or given is False:
            continue
        if facts.get(implied) is False:
            detail = definition.id
            message = f"contradicts {implied}: false; set {implied}: true or remove {detail}"
            raise ClinicalInputError(f"facts.{detail}", message)
        facts[implied] = True


def _require_dated_fact(facts: dict[str, FactValue]) -> None:
    """A date that qualifies a measurement (inr_date for inr) is given only with it."""
    for definition in fact_catalogue().values():
        main = definition.qualifies
        if definition.kind == "date" and main and definition.id in facts and main not in facts:
            message = f"is only given together with {main}"
            raise ClinicalInputError(f"facts.{definition.id}", message)


def body_mass_index(*, height_cm: float, weight_kg: float) -> float:
    """BMI in kg/m2 to one decimal, as every part of NeedleRx reports it."""
    return round(weight_kg / (height_cm / 100) ** 2, 1)


def _derive_bmi(facts: dict[str, FactValue]) -> None:
    """Compute BMI from height and weight when BMI itself is not given."""
    height, weight = facts.get("height_cm"), facts.get("weight_kg")
    if "bmi" in facts or (height is None and weight is None):
        return
    if not isinstance(height, int | float) or not isinstance(weight, int | float):
        missing = "height_cm" if height is None else "weight_kg"
        message = "give both height_cm and weight_kg (or bmi) so BMI can be computed"
        raise ClinicalInputError(f"facts.{missing}", message)
    bmi = body_mass_index(height_cm=height, weight_kg=weight)
    bounds = fact_catalogue()["bmi"]
    lowest = bounds.minimum if bounds.minimum is not None else -math.inf
    highest = bounds.maximum if bounds.maximum is not None else math.inf
    if not lowest <= bmi <= highest:
        message = f"height and weight give a BMI of {bmi:g}, which is implausible; check units"
        raise ClinicalInputError("facts.weight_kg", message)
    facts["bmi"] = bmi


# --- plan -------------------------------------------------------------------------------------

PLAN_FIELDS = ("muscle", "side", "technique")


def parse_plan(raw: Any) -> tuple[PlanEntry, ...]:
    if isinstance(raw, str | bytes | Mapping) or not isinstance(raw, Sequence):
        raise ClinicalInputError("plan", "must be a list of {muscle, side, technique} entries")
    entries = tuple(_parse_plan_entry(index, item) for index, item in enumerate(raw))
    seen: dict[tuple[str, str, str], int] = {}
    for entry in entries:
        key = (entry.muscle.id, entry.side, entry.technique)
        if key in seen:
            message = f"repeats plan[{seen[key]}] (same muscle, side and technique)"
            raise ClinicalInputError(f"plan[{entry.index}]", message)
        seen[key] = entry.index
    return entries


def _parse_plan_entry(index: int, item: Any) -> PlanEntry:
    where = f"plan[{index}]"
    entry = require_mapping(item, where)
    require_keys(entry, where, PLAN_FIELDS)
    for key in PLAN_FIELDS:
        if key not in entry:
            raise ClinicalInputError(f"{where}.{key}", "is required")
    muscle = _parse_muscle(entry["muscle"], f"{where}.muscle")
    sides = SIDED_SIDES if muscle.sided else ("midline",)
    side = entry["side"]
    if not isinstance(side, str) or side not in sides:
        paired = "a paired muscle" if muscle.sided else "a midline muscle"
        message = f"{muscle.id} is {paired}: side must be one of {one_of(sides)} (got {side!r})"
        raise ClinicalInputError(f"{where}.side", message)
    technique = require_choice(entry["technique"], f"{where}.technique", TECHNIQUES, "technique")
    return PlanEntry(index=index, muscle=muscle, side=side, technique=technique)  # type: ignore[arg-type]


def _parse_muscle(value: Any, field: str) -> Muscle:
    catalogue = muscle_catalogue()
    if isinstance(value, str) and value in catalogue:
        return catalogue[value]
    hint = close_matches(value, list(catalogue)) if isinstance(value, str) else ""
    message = f"unknown muscle {value!r}{hint}; see the muscle catalog (GET /api/v1/muscles)"
    raise ClinicalInputError(field, message)


def parse_date(value: Any, field: str) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ClinicalInputError(field, f"must be a date written YYYY-MM-DD (got {value!r})")
