"""What a scorer returns: :class:`ScoreResult`, plain data with a JSON-ready ``to_dict()``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from needlerx.clinical.scoring.library import Instrument, Measure, instruments


@dataclass(frozen=True)
class SubScore:
    """A named secondary score: a subscale, a ROM motion, MME per day, or NDI raw points."""

    score: float
    unit: str
    range: tuple[float, float] | None
    label: str
    category: str | None = None
    category_label: str | None = None

    @classmethod
    def of(cls, measure: Measure, value: float) -> SubScore:
        band = measure.categories.classify(value) if measure.categories else None
        return cls(
            score=value,
            unit=measure.unit,
            range=measure.range,
            label=measure.label,
            category=band.id if band else None,
            category_label=band.label if band else None,
        )

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "score": self.score,
            "unit": self.unit,
            "range": list(self.range) if self.range else None,
            "label": self.label,
        }
        if self.category is not None:
            data["category"] = self.category
            data["category_label"] = self.category_label
        return data


@dataclass(frozen=True)
class ScoreResult:
    """One scored administration of an instrument.

    ``score`` is the primary score in ``unit`` (``None`` where an instrument has no single score:
    FABQ reports two subscales, ROM one value per motion). ``key`` names what was measured when
    the instrument is measured per site (PPT: ``"upper_trapezius/left"``).
    """

    instrument: str
    instrument_version: str
    score: float | None
    unit: str | None
    range: tuple[float, float] | None
    direction: str | None
    items_answered: int
    items_total: int
    subscales: dict[str, SubScore] = field(default_factory=dict)
    additional_scores: dict[str, SubScore] = field(default_factory=dict)
    category: str | None = None
    category_label: str | None = None
    key: str | None = None
    notes: tuple[str, ...] = ()
    details: tuple[dict[str, Any], ...] = ()
    flags: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "instrument": self.instrument,
            "instrument_version": self.instrument_version,
            "score": self.score,
            "unit": self.unit,
            "range": list(self.range) if self.range else None,
            "direction": self.direction,
            "subscales": {name: sub.to_dict() for name, sub in self.subscales.items()},
            "additional_scores": {
                name: sub.to_dict() for name, sub in self.additional_scores.items()
            },
            "category": self.category,
            "category_label": self.category_label,
            "items_answered": self.items_answered,
            "items_total": self.items_total,
            "key": self.key,
            "notes": list(self.notes),
            "details": [dict(detail) for detail in self.details],
            "flags": list(self.flags),
        }


def rounded(value: float) -> float:
    """Scores are reported to 2 decimal places (change arithmetic uses these values)."""
    return round(value + 0.0, 2)


def build_result(
    instrument: Instrument,
    score: float | None,
    *,
    items_answered: int,
    subscales: dict[str, SubScore] | None = None,
    additional_scores: dict[str, SubScore] | None = None,
    key: str | None = None,
    notes: tuple[str, ...] = (),
    details: tuple[dict[str, Any], ...] = (),
    flags: tuple[str, ...] = (),
) -> ScoreResult:
    measure = instrument.score
    primary = rounded(score) if score is not None else None
    extra = additional_scores or {}
    band = None
    if measure and measure.categories and primary is not None:
        band = measure.categories.classify(primary)
    secondary = next((sub for sub in extra.values() if sub.category), None)
    scored_items = sum(1 for item in instrument.items if item.scored)
    return ScoreResult(
        instrument=instrument.id,
        instrument_version=instrument.version,
        score=primary,
        unit=measure.unit if measure else None,
        range=measure.range if measure else None,
        direction=measure.direction if measure else None,
        items_answered=items_answered,
        items_total=scored_items or items_answered,
        subscales=subscales or {},
        additional_scores=extra,
        category=band.id if band else (secondary.category if secondary else None),
        category_label=band.label if band else (secondary.category_label if secondary else None),
        key=key,
        notes=notes,
        details=details,
        flags=flags,
    )


def _current(instrument: Instrument, measure_id: str | None, scored: dict[str, Any]) -> None:
    band_id = scored.get("category")
    band = instrument.current_band(measure_id, band_id) if isinstance(band_id, str) else None
    if band is not None:
        scored["category"], scored["category_label"] = band.id, band.label


def result_with_current_bands(result: Mapping[str, Any]) -> dict[str, Any]:
    """A stored result with each band id and label as the library has them now.

    Results stored under a former band id (ODI ``crippled``, PCS ``not_clinically_relevant``)
    read as the band's current neutral id and label.
    """
    current = dict(result)
    instrument = instruments().get(str(result.get("instrument")))
    if instrument is None:
        return current
    _current(instrument, None, current)
    for group in ("subscales", "additional_scores"):
        scores = {name: dict(sub) for name, sub in (result.get(group) or {}).items()}
        for name, sub in scores.items():
            _current(instrument, name, sub)
        current[group] = scores
    return current


def current_band_id(instrument_id: str, band_id: str) -> str:
    """A stored band id as the library names it now (unchanged when unknown)."""
    instrument = instruments().get(instrument_id)
    band = instrument.current_band(None, band_id) if instrument and band_id else None
    return band.id if band else band_id
