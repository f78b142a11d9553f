"""Facts the screen computes from the recorded ones (facts.yaml ``provided_by: screen``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from needlerx.clinical.errors import ClinicalInputError
from needlerx.clinical.screening.inputs import FactValue


def derive_facts(facts: Mapping[str, FactValue], *, as_of: dt.date) -> dict[str, FactValue]:
    """Add the computed facts: the INR's age on ``as_of``, an INR-monitored anticoagulant (warfarin
    type) with no INR, and
    whether the record conflicts with the history."""
    derived = dict(facts)
    inr_date = facts.get("inr_date")
    if isinstance(inr_date, str):
        measured = dt.date.fromisoformat(inr_date)
        if measured > as_of:
            message = f"is after the screening date {as_of.isoformat()} (as_of); check the date"
            raise ClinicalInputError("facts.inr_date", message)
        derived["inr_age_days"] = (as_of - measured).days
    if facts.get("vitamin_k_antagonist") is True and "inr" not in facts:
        derived["anticoagulant_without_inr"] = True
    if facts.get("record_conflicts"):
        derived["record_conflict"] = True
    return derived
