"""Demo needling entries as a careful clinician records them: depth within the muscle's reference
depth for the patient's BMI (a rare, documented, acknowledged exception), the needles each entry
used, and electrical stimulation with the other electrode named (``paired_with``) on the same
side, or both electrodes in one entry.

Needle sizes, stimulation parameters and the share of exceptions are demo parameters.
"""

from __future__ import annotations

import math
import random
import uuid
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

from needlerx.accounts.models import User
from needlerx.clinical.electrical_circuits import circuit_crosses_protected_region
from needlerx.clinical.reference import muscle_catalogue
from needlerx.clinical.reference_depth import reference_depth_for
from needlerx.clinical.treatment_rules import depth_warning
from needlerx.demo.bulk import new_instance
from needlerx.treatments.models import NeedlingEntry, TreatmentSession

DEPTH_EXCEPTION_SHARE = 0.03  # of entries in patients with a BMI of at least EXCEPTION_BMI
EXCEPTION_BMI = 30.0
NO_REFERENCE_DEPTH_MM = (10, 30)  # muscles without a studied depth, with a 40 mm needle


@dataclass(frozen=True)
class Depth:
    needle_length_mm: int
    max_depth_mm: float
    exception: dict[str, Any] | None = None  # the acknowledged depth warning


# The reference depth is a pure function of muscle and BMI, asked for at each of a patient's
# visits: looked up once per patient's muscle (a patient's BMI does not change in the demo).
_reference_depth = lru_cache(maxsize=1024)(reference_depth_for)


def choose_depth(rng: random.Random, muscle: str, bmi: float | None) -> Depth:
    reference = _reference_depth(muscle, bmi)
    if reference is None:
        return Depth(40, float(rng.randint(*NO_REFERENCE_DEPTH_MM)))
    limit = reference.mm
    length = 30 if limit < 25 else 40
    if bmi is not None and bmi >= EXCEPTION_BMI and rng.random() < DEPTH_EXCEPTION_SHARE:
        deeper = min(limit + rng.randint(1, 2), length)
        warning = depth_warning(muscle, deeper, bmi)
        if warning is not None:
            return Depth(length, deeper, warning.to_dict())
    depth = math.floor(rng.uniform(max(5.0, limit * 0.5), limit) * 10) / 10
    return Depth(length, depth)


def _electrical(rng: random.Random, within_entry: bool) -> dict[str, Any]:
    minutes = rng.choice((10, 15, 20))
    parameters: dict[str, Any] = {
        "frequency_hz": float(rng.choice((2, 4, 10))),
        "intensity_ma": float(rng.randint(2, 8)),
        "pulse_width_us": 250.0,
        "duration_minutes": float(minutes),
    }
    if within_entry:
        parameters["circuit"] = "within_entry"
    return parameters


def _pair_for(item: dict[str, Any], earlier: list[NeedlingEntry]) -> NeedlingEntry | None:
    """An earlier electrical entry on the same side whose circuit stays clear of the chest."""
    for other in earlier:
        if other.technique == "electrical" and other.side == item["side"]:
            crossing = circuit_crosses_protected_region(
                item["muscle"], item["side"], other.muscle, other.side
            )
            if crossing is None:
                return other
    return None


def needling_entry(
    rng: random.Random,
    session: TreatmentSession,
    item: dict[str, Any],
    earlier: list[NeedlingEntry],
    bmi: float | None,
    clinician: User,
) -> NeedlingEntry:
    """One entry for an allowed muscle of the re-check (``earlier``: this note's entries)."""
    depth = choose_depth(rng, item["muscle"], bmi)
    electrical = item["technique"] == "electrical"
    pair = _pair_for(item, earlier) if electrical else None
    insertions = rng.randint(1, 8)
    needles = min(rng.randint(1, 2), insertions)
    if electrical and pair is None:  # both electrodes are needles of this entry
        insertions, needles = max(insertions, 2), 2
    minutes = rng.choice((30, 60, 120, 300))
    parameters = _electrical(rng, pair is None) if electrical else None
    if parameters is not None:
        minutes = int(parameters["duration_minutes"] * 60)
    return new_instance(
        NeedlingEntry,
        public_id=uuid.UUID(int=rng.getrandbits(128), version=4),
        session=session,
        muscle=item["muscle"],
        side=item["side"],
        technique=item["technique"],
        needle_gauge_mm=Decimal("0.25"),
        needle_length_mm=Decimal(depth.needle_length_mm),
        max_depth_mm=Decimal(str(depth.max_depth_mm)),
        insertions=insertions,
        needles=needles,
        paired_with=pair,
        local_twitch_responses=rng.randint(0, 4),
        duration_seconds=minutes,
        electrical=parameters,
        depth_warning=depth.exception,
        depth_warning_acknowledged=depth.exception is not None,
        recorded_by=clinician,
    )


def depth_exception_note(entry: NeedlingEntry, bmi: float | None) -> str:
    """Why the clinician went past the reference depth (documented on the note)."""
    warning = entry.depth_warning or {}
    name = muscle_catalogue()[entry.muscle].name
    return (
        f"{name} ({entry.side}) needled to {entry.max_depth_mm} mm, past the reference depth of "
        f"{warning.get('safe_depth_mm', '?')} mm: thicker soft tissue at BMI {bmi}, muscle "
        "held between two fingers and needle angled away from the chest wall; depth warning "
        "acknowledged (demo data)."
    )
