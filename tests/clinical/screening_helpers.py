"""Test helpers: a record where every required question is answered, so a test can name only the
facts it is about (most answers "no" or "none")."""

from __future__ import annotations

from typing import Any

from needlerx.clinical.reference import fact_catalogue, required_answers


def answered(**facts: Any) -> dict[str, Any]:
    """Every always-required answer and every red flag answered "no" (sites: none), then ``facts``.

    BMI is not filled in (it is a number, not a "no"): give it when the plan lies over the lung.
    """
    catalogue = fact_catalogue()
    base: dict[str, Any] = {}
    required = set(required_answers().always)
    required |= {fact.id for fact in catalogue.values() if fact.group == "red_flag"}
    for fact_id in required:
        base[fact_id] = [] if catalogue[fact_id].kind == "sites" else False
    for fact_id, value in facts.items():
        implied = catalogue[fact_id].implies if fact_id in catalogue else None
        if implied is not None and value not in (None, False):
            base[implied] = True  # a trimester means pregnant; warfarin means an anticoagulant
    return {**base, **facts}
