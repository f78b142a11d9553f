"""Patient-named items across an episode (PSFS activities): the baseline's names, and the check
that a follow-up re-rates the same activities in the same order.

The names are stored in the answers (``responses["activities"]``, keyed like the items), so no
column is needed; rows stored before names were recorded have none and still display as
"Activity 1".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from needlerx.clinical.scoring.library import Instrument, get_instrument
from needlerx.core.errors import ApplicationError
from needlerx.instruments.models import InstrumentResponse
from needlerx.patients.models import Episode


def baseline_names(*, episode: Episode, instrument_id: str) -> dict[str, str] | None:
    """The names given at the episode's first administration that has them, or ``None``.

    No access check and no audit: callers are the recording service and selectors that checked.
    """
    named = get_instrument(instrument_id).patient_named_items
    if named is None:
        return None
    rows = InstrumentResponse.objects.filter(episode=episode, instrument=instrument_id)
    for answers in rows.order_by("taken_at", "id").values_list("responses", flat=True):
        names = answers.get(named.field) if isinstance(answers, dict) else None
        if isinstance(names, dict) and names:
            return {str(key): str(value) for key, value in names.items()}
    return None


def with_baseline_names(
    instrument: Instrument, responses: Mapping[str, Any], baseline: Mapping[str, str] | None
) -> Mapping[str, Any]:
    """A follow-up's answers with the baseline names; refused when it rates other activities.

    At baseline (no names stored yet) every rated activity must be named.
    """
    named = instrument.patient_named_items
    if named is None:
        return responses
    given = responses.get(named.field)
    rated = sorted(
        key for key, value in responses.items() if key != named.field and value is not None
    )
    if baseline is None:
        if not isinstance(given, Mapping) or not given:
            key = rated[0] if rated else "1"
            raise ApplicationError(
                f"{instrument.abbreviation} at baseline needs the name of each rated activity",
                field=f"responses.{named.field}.{key}",
            )
        return responses
    _check_same_names(instrument, given, baseline)
    _check_same_ratings(instrument, rated, baseline)
    return {**responses, named.field: dict(baseline)}


def _check_same_names(instrument: Instrument, given: object, baseline: Mapping[str, str]) -> None:
    if given is None:
        return
    field = instrument.patient_named_items.field if instrument.patient_named_items else ""
    names = given if isinstance(given, Mapping) else {}
    for key in sorted({*names, *baseline}):
        if str(names.get(key, "")).strip() != baseline.get(key):
            expected = baseline.get(key)
            wanted = f"is {expected!r} at baseline" if expected else "was not named at baseline"
            raise ApplicationError(
                f"{instrument.abbreviation} follow-up re-rates the baseline activities in the "
                f"same order: activity {key} {wanted} (got {names.get(key)!r})",
                field=f"responses.{field}.{key}",
            )


def _check_same_ratings(
    instrument: Instrument, rated: list[str], baseline: Mapping[str, str]
) -> None:
    for key in sorted(baseline):
        if key not in rated:
            raise ApplicationError(
                f"{instrument.abbreviation} follow-up must rate activity {key} "
                f"({baseline[key]}), as at baseline",
                field=f"responses.{key}",
            )
    for key in rated:
        if key not in baseline:
            raise ApplicationError(
                f"{instrument.abbreviation} follow-up rates only the baseline activities "
                f"({', '.join(sorted(baseline))}); activity {key} was not named at baseline",
                field=f"responses.{key}",
            )
