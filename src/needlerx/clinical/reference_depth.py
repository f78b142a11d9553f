"""Reference depth of a muscle for a patient's BMI: the one function the screen, the session note
and the web pages call.

A reference depth is the deepest depth studied without reaching the structure at risk, in the
population studied; the most conservative figure that applies is used. It is a reference line,
never a safe depth. A muscle over the lung or near the spinal cord with no figure of its own uses
its region's most conservative figures (``reference_depth_fallbacks`` in muscles.yaml).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from needlerx.clinical.evidence import Source
from needlerx.clinical.reference import muscle_catalogue, reference_depth_fallbacks
from needlerx.clinical.reference.schemas import Muscle, ReferenceDepthFigure


@dataclass(frozen=True)
class ReferenceDepth:
    muscle: str
    mm: float
    structure: str
    basis: str
    population: str
    source: Source
    fallback: bool
    bmi: float | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "mm": self.mm,
            "structure": self.structure,
            "basis": self.basis,
            "population": self.population,
            "source": self.source.label(),
            "source_url": self.source.url,
            "source_confidence": self.source.confidence,
            "fallback": self.fallback,
            "bmi": self.bmi,
        }


def reference_depth_for(muscle_id: str, bmi: float | None) -> ReferenceDepth | None:
    """The most conservative reference depth for this muscle at this BMI (None: none applies).

    ``bmi`` None means unknown: every figure then counts, so the shallowest one is used.
    Raises KeyError for a muscle that is not in the catalogue.
    """
    muscle = muscle_catalogue()[muscle_id]
    own = _shallowest(muscle.reference_depths, bmi)
    if own is not None:
        return _depth(muscle, own, bmi, fallback_note=None)
    best: tuple[ReferenceDepthFigure, str] | None = None
    for fallback in reference_depth_fallbacks():
        if muscle.region not in fallback.regions:
            continue
        if not set(fallback.structures) & muscle.structures:
            continue
        figure = _shallowest(fallback.figures, bmi)
        if figure is not None and (best is None or figure.mm < best[0].mm):
            best = (figure, fallback.note)
    if best is None:
        return None
    return _depth(muscle, best[0], bmi, fallback_note=best[1])


def _shallowest(
    figures: Iterable[ReferenceDepthFigure], bmi: float | None
) -> ReferenceDepthFigure | None:
    applicable = [figure for figure in figures if figure.applies_at(bmi)]
    return min(applicable, key=lambda figure: figure.mm, default=None)


def _depth(
    muscle: Muscle, figure: ReferenceDepthFigure, bmi: float | None, *, fallback_note: str | None
) -> ReferenceDepth:
    basis = figure.basis if fallback_note is None else f"{fallback_note} {figure.basis}"
    return ReferenceDepth(
        muscle=muscle.id,
        mm=figure.mm,
        structure=figure.structure,
        basis=basis,
        population=figure.population,
        source=figure.source,
        fallback=fallback_note is not None,
        bmi=bmi,
    )
