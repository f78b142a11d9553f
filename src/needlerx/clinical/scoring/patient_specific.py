"""Patient-named items (PSFS activities): the names a patient gives, checked against the ratings.

The names travel next to the ratings in the public response convention:
``{"1": 4, "2": 6, "activities": {"1": "Walking 30 minutes", "2": "Lifting my child"}}``. When
names are given, every rated activity needs one and every named activity needs a rating.
Whether the follow-up re-rates the baseline activities is the recording service's check (it
needs the episode's stored baseline).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from needlerx.clinical.errors import ClinicalInputError
from needlerx.clinical.scoring.inputs import require_mapping
from needlerx.clinical.scoring.library import Instrument, PatientNamedItems


def split_names(
    instrument: Instrument, responses: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, str] | None]:
    """The ratings alone, and the names (``None`` when none were given)."""
    named = instrument.patient_named_items
    if named is None or named.field not in responses:
        return dict(responses), None
    ratings = {key: value for key, value in responses.items() if key != named.field}
    raw = require_mapping(f"responses.{named.field}", responses[named.field], "activities")
    keys = {item.key for item in instrument.items}
    names = {}
    for key, name in raw.items():
        field = f"responses.{named.field}.{key}"
        if key not in keys:
            raise ClinicalInputError(
                field, f"{instrument.abbreviation} has activities 1 to {len(keys)} (got {key!r})"
            )
        names[key] = _name(field, named, name, key)
    return ratings, names


def _name(field: str, named: PatientNamedItems, name: object, key: str) -> str:
    text = name.strip() if isinstance(name, str) else ""
    if not text or len(text) > named.max_length:
        raise ClinicalInputError(
            field,
            f"{named.label} {key} needs its name in words, 1 to {named.max_length} characters "
            f"(got {name!r})",
        )
    return text


def check_names_match_ratings(
    instrument: Instrument, names: Mapping[str, str], rated: Mapping[str, float]
) -> None:
    """Every rated activity is named, and every named activity is rated."""
    named = instrument.patient_named_items
    label = f"{instrument.abbreviation} {(named.label if named else 'item').lower()}"
    field = named.field if named else "activities"
    for key in sorted(rated):
        if key not in names:
            raise ClinicalInputError(
                f"responses.{field}.{key}", f"{label} {key} is rated but not named: name it"
            )
    for key, name in sorted(names.items()):
        if key not in rated:
            raise ClinicalInputError(
                f"responses.{key}", f"{label} {key} ({name}) is named but not rated: rate it"
            )


def activity_details(
    names: Mapping[str, str], rated: Mapping[str, float]
) -> tuple[dict[str, Any], ...]:
    """One detail per rated activity, in item order: its key, name and rating."""
    return tuple(
        {"item": key, "activity": names[key], "rating": rated[key]}
        for key in sorted(rated, key=int)
    )
