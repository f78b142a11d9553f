"""What the instruments API answers: the library, a scored administration (the JSON
``needlerx score`` prints, docs/instruments.md), stored measures, progress and the episode
outcome summary.

The library is reference data: its entries reuse the library's own strict models (items,
measures with MCIDs and MDCs, licence) and leave out the internal source table, as before.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Literal

from needlerx.clinical.evidence import Source
from needlerx.clinical.outcome_definition import BenefitKey
from needlerx.clinical.outcome_summary import BenefitStatus, SeriesStatus
from needlerx.clinical.scoring.change import ResponderStatus
from needlerx.clinical.scoring.library import (
    Direction,
    Item,
    Licence,
    Loinc,
    Measure,
    MissingItems,
    PptSettings,
    PublishedRate,
    Scoring,
    StartBackRisk,
)
from needlerx.core.responses import IsoDateTime, Number, Out, left_out_when_none

# One answer as entered: an item's value, a list of trials, or a structured entry (a PPT site,
# an opioid with its dose); the instrument's own rules say which.
# PSFS activity names (item key -> name) and other medication classes (class -> days per
# week) are objects.
Answer = (
    bool
    | int
    | float
    | str
    | list[int | float]
    | list[dict[str, str | int | float | None]]
    | dict[str, str | int | float | None]
    | None
)


class InstrumentOut(Out):
    """One instrument: items, ranges, direction, MCIDs/MDCs with sources (no licensed text)."""

    id: str
    name: str
    abbreviation: str
    version: str
    form: str
    measures: str
    kind: Literal["single_item", "questionnaire", "measurement"]
    scoring: Scoring
    items: list[Item]
    missing_items: MissingItems | None
    score: Measure | None
    subscales: list[Measure]
    additional_scores: list[Measure]
    startback_risk: StartBackRisk | None
    ppt: PptSettings | None
    notes: list[str]
    loinc: Loinc
    licence: Licence


class SubScoreOut(Out):
    score: Number
    unit: str
    range: list[Number] | None
    label: str
    category: str | None = left_out_when_none("The band the value falls in, where banded.")
    category_label: str | None = left_out_when_none("The band's label, with ``category``.")


class ScoreResultOut(Out):
    """One scored administration: the primary score (``null`` where the instrument has none),
    subscales, additional scores, category and notes."""

    instrument: str
    instrument_version: str
    score: Number | None
    unit: str | None
    range: list[Number] | None
    direction: Direction | None
    subscales: dict[str, SubScoreOut]
    additional_scores: dict[str, SubScoreOut]
    category: str | None
    category_label: str | None
    items_answered: int
    items_total: int
    key: str | None
    notes: list[str]
    details: list[dict[str, str | int | float | None]]
    flags: list[str] = []


class MeasurementOut(Out):
    id: uuid.UUID
    episode_id: uuid.UUID
    instrument: str
    instrument_version: str
    score: float | None
    unit: str | None
    series_key: str | None
    category: str | None
    taken_at: dt.datetime
    entered_via: str
    entered_by: str | None
    responses: dict[str, Answer]
    result: ScoreResultOut


class AppliedThresholdOut(Out):
    """The MCID or MDC in force, in the score's unit (or percent), with its source."""

    id: str
    kind: str
    value: Number
    unit: str
    published_value: Number
    scale_unit: str
    population: str
    source: Source
    source_label: str
    baseline_band: str | None = None
    note: str | None = None


class ResponderRuleOut(Out):
    """A responder definition combining several MCIDs: every part must be met."""

    id: str
    label: str
    note: str
    source: Source
    source_label: str
    parts: list[AppliedThresholdOut]


class CriterionCheckOut(Out):
    """One part of the responder definition at one time point."""

    threshold: str
    kind: str
    required: Number
    achieved: Number | None
    met: bool


class ScoredPointOut(Out):
    at: IsoDateTime
    score: Number


class ChangePointOut(Out):
    """One follow-up against baseline; ``improvement`` is positive when better."""

    at: IsoDateTime
    score: Number
    change: Number
    percent_change: Number | None
    improvement: Number
    direction: Literal["better", "worse", "unchanged"]
    within_measurement_error: bool | None
    status: ResponderStatus
    percent_improvement: Number | None = None
    criteria: list[CriterionCheckOut] = []
    absolute_threshold_met: bool | None = None
    percent_threshold_met: bool | None = None


class ProgressSeriesOut(Out):
    """One series of the episode (an instrument, or one of its keys): every value, baseline
    against each time point and the latest, with the MCID and MDC used."""

    instrument: str
    key: str | None
    label: str
    unit: str
    points: list[ScoredPointOut]
    direction: Direction
    baseline: ScoredPointOut | None
    latest: ChangePointOut | None
    time_points: list[ChangePointOut]
    mcid: AppliedThresholdOut | None
    mdc: AppliedThresholdOut | None
    responder_rule: ResponderRuleOut | None = None


class AdverseEventCountsOut(Out):
    mild: int
    significant: int
    serious: int


class SeriesOutcomeOut(Out):
    """One series of the episode with its change and status; ``threshold`` is what the status
    was judged against (the MCID, or the MDC for "measurement error" statuses)."""

    instrument: str
    key: str | None
    unit: str
    primary: bool
    baseline: Number | None
    latest: Number | None
    change: Number | None
    percent_change: Number | None
    status: SeriesStatus
    responder: str | None
    threshold: AppliedThresholdOut | None
    mcid: AppliedThresholdOut | None
    mdc: AppliedThresholdOut | None
    responder_rule: ResponderRuleOut | None


class RateOut(Out):
    """A proportion with its 95 % confidence interval, on the scale named by the field."""

    value: Number
    low: Number
    high: Number


class ConfidenceIntervalMethodOut(Out):
    method: str
    level_percent: Number
    z: Number
    source: Source


class GroupRateOut(Out):
    group: str
    events: int
    sessions: int
    per_1000: Number
    ci_95: list[Number]
    comparator: PublishedRate
    comparison: Literal["above", "below", "consistent"]
    words: str


class SafetyOut(Out):
    """Adverse events per 1,000 needling sessions with 95 % confidence intervals, beside the
    published rates; the follow-up contacts made of those due."""

    sessions: int
    adverse_events: AdverseEventCountsOut
    rates: list[GroupRateOut]
    follow_ups_due: int
    follow_ups_made: int
    follow_up_completion_percent: RateOut | None
    confidence_interval_method: ConfidenceIntervalMethodOut
    published_rates: list[PublishedRate]
    comparators_rationale: str


class BenefitOutcomeOut(Out):
    key: BenefitKey
    label: str
    measures: str
    status: BenefitStatus
    primary: SeriesOutcomeOut | None
    secondary: list[SeriesOutcomeOut]
    notes: list[str]
    safety: SafetyOut | None


class OutcomeSummaryOut(Out):
    """The episode outcome summary: one primary measure per benefit decides its status."""

    episode_id: uuid.UUID
    title: str
    scope: str
    attribution: str
    attribution_source: str
    benefits: dict[BenefitKey, BenefitOutcomeOut]
