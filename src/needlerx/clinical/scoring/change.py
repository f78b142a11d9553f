"""Change from baseline, and responder status against an MCID and the MDC.

A time series is the observations of one instrument and one ``key`` (``None`` for the main
score; a subscale id such as ``"mme_per_day"`` or a ROM motion; a PPT site such as
``"upper_trapezius/left"``). The first observation in time is the baseline; every later one is
compared with it, and the last is ``latest``. Direction-aware: for PSFS, PPT, ROM and GROC higher
is better, so improvement is the rise; for the others it is the fall.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from needlerx.clinical.errors import ClinicalInputError
from needlerx.clinical.evidence import Source
from needlerx.clinical.scoring.library import Instrument, Measure, Threshold, get_instrument
from needlerx.clinical.scoring.result import ScoreResult

ResponderStatus = Literal[
    "responder", "not_responder", "deteriorated", "within_measurement_error", "not_assessable"
]
ThresholdChoice = str | Threshold | None
TOLERANCE = 1e-9


@dataclass(frozen=True)
class Observation:
    """One scored value in time: plain data the Django side builds from stored scores."""

    instrument: str
    at: dt.date | dt.datetime
    score: float
    unit: str
    key: str | None = None
    instrument_version: str | None = None


def observations_from_result(result: ScoreResult, at: dt.date | dt.datetime) -> list[Observation]:
    """The time-series values in one :class:`ScoreResult`: the score and each subscale."""
    found: list[Observation] = []
    version = result.instrument_version
    if result.score is not None and result.unit is not None:
        found.append(
            Observation(result.instrument, at, result.score, result.unit, result.key, version)
        )
    for name, sub in result.subscales.items():
        found.append(Observation(result.instrument, at, sub.score, sub.unit, name, version))
    return found


@dataclass(frozen=True)
class AppliedThreshold:
    """The MCID or MDC in force, in the score's unit (or percent), with its source."""

    id: str
    kind: str
    value: float
    unit: str
    published_value: float
    scale_unit: str
    population: str
    source: Source

    @classmethod
    def of(cls, threshold: Threshold, score_unit: str) -> AppliedThreshold:
        relative = threshold.kind == "relative_percent"
        return cls(
            id=threshold.id,
            kind=threshold.kind,
            value=threshold.score_value,
            unit="% of baseline" if relative else score_unit,
            published_value=threshold.value,
            scale_unit=threshold.scale_unit,
            population=threshold.population,
            source=threshold.source,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "value": self.value,
            "unit": self.unit,
            "published_value": self.published_value,
            "scale_unit": self.scale_unit,
            "population": self.population,
            "source": self.source.model_dump(),
            "source_label": self.source.label(),
        }


@dataclass(frozen=True)
class ChangePoint:
    """One follow-up compared with baseline. ``improvement`` is positive when better."""

    at: dt.date | dt.datetime
    score: float
    change: float
    percent_change: float | None
    improvement: float
    direction: Literal["better", "worse", "unchanged"]
    within_measurement_error: bool | None
    status: ResponderStatus

    def to_dict(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(),
            "score": self.score,
            "change": self.change,
            "percent_change": self.percent_change,
            "improvement": self.improvement,
            "direction": self.direction,
            "within_measurement_error": self.within_measurement_error,
            "status": self.status,
        }


@dataclass(frozen=True)
class ChangeReport:
    instrument: str
    key: str | None
    unit: str
    direction: str
    baseline: Observation | None
    latest: ChangePoint | None
    time_points: tuple[ChangePoint, ...]
    mcid: AppliedThreshold | None
    mdc: AppliedThreshold | None

    def to_dict(self) -> dict[str, Any]:
        baseline = self.baseline
        return {
            "instrument": self.instrument,
            "key": self.key,
            "unit": self.unit,
            "direction": self.direction,
            "baseline": None
            if baseline is None
            else {"at": baseline.at.isoformat(), "score": baseline.score},
            "latest": self.latest.to_dict() if self.latest else None,
            "time_points": [point.to_dict() for point in self.time_points],
            "mcid": self.mcid.to_dict() if self.mcid else None,
            "mdc": self.mdc.to_dict() if self.mdc else None,
        }


def series_measure(instrument: Instrument, key: str | None) -> Measure:
    """The measure a series follows; PPT series are keyed by site and share the PPT score."""
    measure = instrument.score if instrument.id == "ppt" else instrument.measure(key)
    if measure is None or (instrument.id == "ppt" and not key):
        allowed = [m.id for m in instrument.subscales]
        hint = "a site such as upper_trapezius/left" if instrument.id == "ppt" else allowed
        raise ClinicalInputError(
            "key", f"{instrument.abbreviation} has no series {key!r}; use {hint}"
        )
    return measure


def _moment(index: int, at: object) -> dt.datetime:
    if isinstance(at, dt.datetime):
        if at.tzinfo is None:
            raise ClinicalInputError(
                f"observations[{index}].at", "a date-time must be timezone-aware"
            )
        return at
    if isinstance(at, dt.date):
        return dt.datetime.combine(at, dt.time.min, tzinfo=dt.UTC)
    raise ClinicalInputError(f"observations[{index}].at", f"must be a date or date-time ({at!r})")


def _series(
    instrument: Instrument, measure: Measure, observations: Sequence[Observation], key: str | None
) -> list[Observation]:
    chosen: list[tuple[dt.datetime, Observation]] = []
    for index, obs in enumerate(observations):
        if obs.instrument != instrument.id or obs.key != key:
            continue
        if obs.unit != measure.unit:
            raise ClinicalInputError(
                f"observations[{index}].unit",
                f"{instrument.abbreviation} {measure.label} is in {measure.unit} "
                f"(got {obs.unit!r})",
            )
        chosen.append((_moment(index, obs.at), obs))
    versions = {o.instrument_version for _, o in chosen if o.instrument_version is not None}
    if len(versions) > 1:
        raise ClinicalInputError(
            "observations",
            f"do not mix {instrument.abbreviation} versions in one series: {sorted(versions)}",
        )
    return [obs for _, obs in sorted(chosen, key=lambda pair: pair[0])]


def resolve_threshold(
    measure: Measure, kind: Literal["mcid", "mdc"], choice: ThresholdChoice
) -> AppliedThreshold | None:
    """``None`` -> the default in the data file; a str -> a stored id; a Threshold -> as given."""
    if isinstance(choice, Threshold):
        if kind == "mdc" and choice.kind != "absolute":
            raise ClinicalInputError("mdc", "an MDC must be an absolute value, not a percentage")
        return AppliedThreshold.of(choice, measure.unit)
    chosen_id = choice if choice is not None else getattr(measure, f"default_{kind}")
    if chosen_id is None:
        return None
    found = measure.threshold(kind, chosen_id)
    if found is None:
        options = [t.id for t in (measure.mcids if kind == "mcid" else measure.mdcs)]
        raise ClinicalInputError(
            kind,
            f"unknown {kind.upper()} {chosen_id!r} for {measure.label}; "
            f"stored: {', '.join(options) or 'none'}",
        )
    return AppliedThreshold.of(found, measure.unit)


def _status(
    improvement: float,
    percent_improvement: float | None,
    within_error: bool | None,
    mcid: AppliedThreshold | None,
) -> ResponderStatus:
    if within_error:
        return "within_measurement_error"
    if mcid is None:
        return "not_assessable"
    amount = improvement if mcid.kind == "absolute" else percent_improvement
    if amount is None:  # relative threshold and a zero baseline: any change is infinite
        amount = improvement * float("inf") if improvement else 0.0
    if amount >= mcid.value - TOLERANCE:
        return "responder"
    if amount <= -mcid.value + TOLERANCE:
        return "deteriorated"
    return "not_responder"


def change_point(
    baseline: float,
    follow_up: Observation,
    *,
    higher_is_better: bool,
    mcid: AppliedThreshold | None,
    mdc: AppliedThreshold | None,
) -> ChangePoint:
    change = round(follow_up.score - baseline, 6)
    improvement = change if higher_is_better else -change
    percent = round(change / abs(baseline) * 100, 2) if baseline else None
    percent_improvement = round(improvement / abs(baseline) * 100, 2) if baseline else None
    within_error = None if mdc is None else abs(change) < mdc.value - TOLERANCE
    direction: Literal["better", "worse", "unchanged"] = (
        "better" if improvement > 0 else "worse" if improvement < 0 else "unchanged"
    )
    return ChangePoint(
        at=follow_up.at,
        score=follow_up.score,
        change=round(change, 2),
        percent_change=percent,
        improvement=round(improvement, 2),
        direction=direction,
        within_measurement_error=within_error,
        status=_status(improvement, percent_improvement, within_error, mcid),
    )


def compare(
    instrument_id: str,
    observations: Sequence[Observation],
    *,
    key: str | None = None,
    mcid: ThresholdChoice = None,
    mdc: ThresholdChoice = None,
) -> ChangeReport:
    """Baseline (first in time) against each later observation and the latest.

    ``mcid``/``mdc``: ``None`` for the default in the data file, a stored threshold id (see
    ``GET /api/v1/instruments``), or a clinic's own :class:`Threshold` with its rationale as
    ``source``. A change smaller than the MDC is "within_measurement_error" even if it exceeds
    the MCID.
    """
    instrument = get_instrument(instrument_id)
    measure = series_measure(instrument, key)
    series = _series(instrument, measure, observations, key)
    applied_mcid = resolve_threshold(measure, "mcid", mcid)
    applied_mdc = resolve_threshold(measure, "mdc", mdc)
    higher_is_better = measure.direction == "higher_is_better"
    points = tuple(
        change_point(
            series[0].score,
            obs,
            higher_is_better=higher_is_better,
            mcid=applied_mcid,
            mdc=applied_mdc,
        )
        for obs in series[1:]
    )
    return ChangeReport(
        instrument=instrument.id,
        key=key,
        unit=measure.unit,
        direction=measure.direction,
        baseline=series[0] if series else None,
        latest=points[-1] if points else None,
        time_points=points,
        mcid=applied_mcid,
        mdc=applied_mdc,
    )
