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
from needlerx.clinical.scoring.library import Instrument, Measure, get_instrument
from needlerx.clinical.scoring.result import ScoreResult
from needlerx.clinical.scoring.thresholds import (
    AppliedResponderRule,
    AppliedThreshold,
    ThresholdChoice,
    resolve_responder,
    resolve_threshold,
)

# Re-exported: callers import the threshold types with ``compare``.
__all__ = [
    "AppliedResponderRule",
    "AppliedThreshold",
    "ChangePoint",
    "ChangeReport",
    "CriterionCheck",
    "Observation",
    "ResponderStatus",
    "ThresholdChoice",
    "change_point",
    "compare",
    "observations_from_result",
    "resolve_responder",
    "resolve_threshold",
    "series_measure",
]

ResponderStatus = Literal[
    "responder", "not_responder", "deteriorated", "within_measurement_error", "not_assessable"
]
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
class CriterionCheck:
    """One part of the responder definition at one time point: needed, achieved, met."""

    threshold: str
    kind: str
    required: float
    achieved: float | None
    met: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "threshold": self.threshold,
            "kind": self.kind,
            "required": self.required,
            "achieved": self.achieved,
            "met": self.met,
        }


@dataclass(frozen=True)
class ChangePoint:
    """One follow-up compared with baseline. ``improvement`` is positive when better.

    ``percent_improvement`` is the improvement as a percentage of the baseline (positive when
    better; ``None`` at a zero baseline). ``criteria`` checks each part of the responder
    definition; ``absolute_threshold_met`` / ``percent_threshold_met`` say whether the points and
    the percent parts were met (``None`` when the definition has no such part).
    """

    at: dt.date | dt.datetime
    score: float
    change: float
    percent_change: float | None
    improvement: float
    direction: Literal["better", "worse", "unchanged"]
    within_measurement_error: bool | None
    status: ResponderStatus
    percent_improvement: float | None = None
    criteria: tuple[CriterionCheck, ...] = ()

    def _met(self, kind: str) -> bool | None:
        found = [check.met for check in self.criteria if check.kind == kind]
        return all(found) if found else None

    @property
    def absolute_threshold_met(self) -> bool | None:
        return self._met("absolute")

    @property
    def percent_threshold_met(self) -> bool | None:
        return self._met("relative_percent")

    def to_dict(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(),
            "score": self.score,
            "change": self.change,
            "percent_change": self.percent_change,
            "improvement": self.improvement,
            "percent_improvement": self.percent_improvement,
            "direction": self.direction,
            "within_measurement_error": self.within_measurement_error,
            "status": self.status,
            "criteria": [check.to_dict() for check in self.criteria],
            "absolute_threshold_met": self.absolute_threshold_met,
            "percent_threshold_met": self.percent_threshold_met,
        }


@dataclass(frozen=True)
class ChangeReport:
    """Baseline against each later time point. ``mcid`` is the (points) threshold in force;
    ``responder_rule`` is set when the responder definition combines several thresholds (then
    ``mcid`` is its points part)."""

    instrument: str
    key: str | None
    unit: str
    direction: str
    baseline: Observation | None
    latest: ChangePoint | None
    time_points: tuple[ChangePoint, ...]
    mcid: AppliedThreshold | None
    mdc: AppliedThreshold | None
    responder_rule: AppliedResponderRule | None = None

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
            "responder_rule": self.responder_rule.to_dict() if self.responder_rule else None,
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


def _achieved(part: AppliedThreshold, improvement: float, percent: float | None) -> float:
    if part.kind == "absolute":
        return improvement
    if percent is None:  # relative threshold and a zero baseline: any change is infinite
        return improvement * float("inf") if improvement else 0.0
    return percent


def _checks(
    parts: Sequence[AppliedThreshold], improvement: float, percent: float | None
) -> tuple[CriterionCheck, ...]:
    checks = []
    for part in parts:
        achieved = _achieved(part, improvement, percent)
        shown = None if part.kind != "absolute" and percent is None else achieved
        met = achieved >= part.value - TOLERANCE
        checks.append(CriterionCheck(part.id, part.kind, part.value, shown, met))
    return tuple(checks)


def _status(
    improvement: float,
    percent_improvement: float | None,
    within_error: bool | None,
    parts: Sequence[AppliedThreshold],
) -> ResponderStatus:
    if within_error:
        return "within_measurement_error"
    if not parts:
        return "not_assessable"
    if all(c.met for c in _checks(parts, improvement, percent_improvement)):
        return "responder"
    worse = None if percent_improvement is None else -percent_improvement
    if all(c.met for c in _checks(parts, -improvement, worse)):
        return "deteriorated"
    return "not_responder"


def change_point(
    baseline: float,
    follow_up: Observation,
    *,
    higher_is_better: bool,
    mcid: AppliedThreshold | None,
    mdc: AppliedThreshold | None,
    responder_rule: AppliedResponderRule | None = None,
) -> ChangePoint:
    change = round(follow_up.score - baseline, 6)
    improvement = change if higher_is_better else -change
    percent = round(change / abs(baseline) * 100, 2) if baseline else None
    percent_improvement = round(improvement / abs(baseline) * 100, 2) if baseline else None
    within_error = None if mdc is None else abs(change) < mdc.value - TOLERANCE
    direction: Literal["better", "worse", "unchanged"] = (
        "better" if improvement > 0 else "worse" if improvement < 0 else "unchanged"
    )
    parts = responder_rule.parts if responder_rule else ((mcid,) if mcid else ())
    return ChangePoint(
        at=follow_up.at,
        score=follow_up.score,
        change=round(change, 2),
        percent_change=percent,
        improvement=round(improvement, 2),
        direction=direction,
        within_measurement_error=within_error,
        status=_status(improvement, percent_improvement, within_error, parts),
        percent_improvement=percent_improvement,
        criteria=_checks(parts, improvement, percent_improvement),
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
    ``GET /api/v1/instruments``), a stored responder rule id (``mcid`` only: e.g. NPRS "2 points
    and 30 %"), or a clinic's own :class:`Threshold` with its rationale as ``source``. A change
    smaller than the MDC is "within_measurement_error" even if it exceeds the MCID. A PPT site
    uses the MDC measured at its muscle, or none.
    """
    instrument = get_instrument(instrument_id)
    measure = series_measure(instrument, key)
    series = _series(instrument, measure, observations, key)
    baseline = series[0].score if series else None
    applied_mcid, rule = resolve_responder(measure, mcid, baseline)
    applied_mdc = resolve_threshold(measure, "mdc", mdc, baseline=baseline, key=key)
    higher_is_better = measure.direction == "higher_is_better"
    points = tuple(
        change_point(
            series[0].score,
            obs,
            higher_is_better=higher_is_better,
            mcid=applied_mcid,
            mdc=applied_mdc,
            responder_rule=rule,
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
        responder_rule=rule,
    )
