"""Checks shared by every scorer: types, ranges, unknown keys and missing items.

Every failure is a :class:`ClinicalInputError` naming the field (``responses.3``) and what is
allowed, in words a clinician can act on: "NPRS must be a whole number from 0 to 10 (got 11)".
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from typing import Any

from needlerx.clinical.errors import ClinicalInputError
from needlerx.clinical.scoring.library import Instrument, Item, ValueType


def is_whole_number(value: object) -> bool:
    """``True`` for an int; ``bool`` is not a number here, and neither is ``3.0``."""
    return isinstance(value, int) and not isinstance(value, bool)


def is_number(value: object) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return math.isfinite(value)


def _show(value: float) -> str:
    return f"{value:g}"


def check_value(
    field: str,
    label: str,
    value: object,
    bounds: tuple[float, float] | None,
    value_type: ValueType,
) -> float:
    """``value`` as a float if it has the right type and lies within ``bounds`` (inclusive)."""
    whole = value_type == "integer"
    kind = "a whole number" if whole else "a number"
    allowed = f"from {_show(bounds[0])} to {_show(bounds[1])}" if bounds else "of 0 or more"
    well_typed = is_whole_number(value) if whole else is_number(value)
    if well_typed:
        number = float(value)  # type: ignore[arg-type]
        low, high = bounds if bounds else (0.0, math.inf)
        if low <= number <= high:
            return number
    raise ClinicalInputError(field, f"{label} must be {kind} {allowed} (got {value!r})")


def require_mapping(field: str, value: object, what: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ClinicalInputError(field, f"{what} must be an object (got {type(value).__name__})")
    return value


def reject_unknown_keys(
    field: str, data: Mapping[str, Any], allowed: Collection[str], what: str
) -> None:
    for key in data:
        if key not in allowed:
            raise ClinicalInputError(
                f"{field}.{key}",
                f"{what} has no field {key!r}; allowed: {', '.join(allowed)}",
            )


def item_label(instrument: Instrument, item: Item) -> str:
    if instrument.kind == "single_item":
        return instrument.abbreviation
    return f"{instrument.abbreviation} item {item.key} ({item.label})"


def read_items(instrument: Instrument, responses: Mapping[str, Any]) -> dict[str, float]:
    """The answered items as numbers; ``None`` (or leaving the key out) means not answered."""
    known = {item.key: item for item in instrument.items}
    values: dict[str, float] = {}
    for key, raw in responses.items():
        item = known.get(key) if isinstance(key, str) else None
        if item is None:
            raise ClinicalInputError(
                f"responses.{key}",
                f"{instrument.abbreviation} has no item {key!r}; "
                f'items are "1" to "{len(known)}" in the published order',
            )
        if raw is not None:
            field = f"responses.{key}"
            label = item_label(instrument, item)
            values[key] = check_value(field, label, raw, (item.min, item.max), item.value_type)
    _check_answered(instrument, values)
    return values


def _check_answered(instrument: Instrument, values: Mapping[str, float]) -> None:
    rule = instrument.missing_items
    scored = [item.key for item in instrument.items if item.scored]
    missing = [key for key in scored if key not in values]
    if rule is None or len(scored) - len(missing) >= rule.min_answered:
        return
    field = f"responses.{missing[0]}" if len(missing) == 1 else "responses"
    if instrument.kind == "single_item":
        message = f'{instrument.abbreviation} needs a response to item "{missing[0]}"'
    else:
        message = (
            f"{instrument.abbreviation} needs at least {rule.min_answered} of {len(scored)} "
            f"scored items answered (got {len(scored) - len(missing)}); "
            f"missing: {', '.join(missing)}"
        )
    raise ClinicalInputError(field, message)


def scored_values(instrument: Instrument, values: Mapping[str, float]) -> dict[str, float]:
    scored = {item.key for item in instrument.items if item.scored}
    return {key: value for key, value in values.items() if key in scored}
