"""What a screen was computed from and what it said, as short digests, and the plan the screen
page shows."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from needlerx.clinical.reference import muscle_catalogue, ruleset_version


def screening_digest(*, facts: Mapping[str, Any], practitioner: Mapping[str, Any]) -> str:
    """SHA-256 over the facts, the practitioner context and the rule-set version.

    Two screens with the same digest read the same record under the same rules, so a result
    shown on the screen page and the one stored after "save" cannot differ.
    """
    canonical = json.dumps(
        {"facts": facts, "practitioner": practitioner, "ruleset_version": ruleset_version()},
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


# The key of a stored result (``StoredResult``): it names results already stored, so it must
# never change. The result is plain JSON (the screen's ``to_dict()``).
_RESULT_CANONICAL = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False
).encode


def result_digest(result: Mapping[str, Any]) -> str:
    """SHA-256 over a screen result's canonical JSON: equal results, equal digests."""
    return hashlib.sha256(_RESULT_CANONICAL(result).encode()).hexdigest()


def whole_catalogue_plan(technique: str) -> list[dict[str, str]]:
    """Every catalogue muscle on each side (or the midline) with one technique."""
    return [
        {"muscle": muscle.id, "side": side, "technique": technique}
        for muscle in muscle_catalogue().values()
        for side in (("left", "right") if muscle.sided else ("midline",))
    ]
