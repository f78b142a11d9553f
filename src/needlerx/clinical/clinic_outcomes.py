"""A clinic's outcomes across episodes: the share of episodes whose primary measure changed
beyond its MCID, with a 95 % confidence interval (Wilson score interval), and the plain-words
limits of such figures (``data/instruments/clinic_outcomes.yaml``).

Input is counted data: each distinct (measure, baseline, latest) pair with the number of episodes
that had it, so the database groups the rows and each pair is judged once, exactly as the
episode outcome summary judges one episode (``outcome_summary.series_status``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from needlerx.clinical.evidence import Source
from needlerx.clinical.outcome_definition import BenefitDefinition, outcome_summary_definition
from needlerx.clinical.outcome_summary import SeriesStatus, series_status, threshold_name
from needlerx.clinical.safety_rate import Proportion, wilson_interval
from needlerx.clinical.scoring.change import Observation, ThresholdChoice, compare
from needlerx.clinical.scoring.library import get_instrument
from needlerx.clinical.scoring.loading import Strict, validate_data_file

_BEFORE = dt.date(2000, 1, 1)
_AFTER = dt.date(2000, 1, 2)


class Limit(Strict):
    id: str
    title: str
    text: str
    source: Source


class ClinicOutcomesText(Strict):
    version: str
    title: str
    can_show: str
    limits: list[Limit]


@cache
def clinic_outcomes_text() -> ClinicOutcomesText:
    return validate_data_file(ClinicOutcomesText, "clinic_outcomes.yaml")


def counted_benefits() -> list[BenefitDefinition]:
    """The benefits judged against an MCID whose primary measure is an instrument's main score
    with a published MCID. Range of motion is judged on a subscale against its measurement error,
    and the stiffness rating has no published MCID: neither is counted, rather than shown as
    "0 % improved"."""
    return [
        benefit
        for benefit in outcome_summary_definition().benefits
        if benefit.judged_by == "mcid"
        and all(
            ref.key is None and _has_mcid(ref.instrument)
            for refs in benefit.primary.values()
            for ref in refs
        )
    ]


def _has_mcid(instrument_id: str) -> bool:
    score = get_instrument(instrument_id).measure(None)
    return score is not None and bool(score.mcids)


def candidates_by_group(benefit: BenefitDefinition) -> dict[str | None, list[str]]:
    """The primary measure's candidate instruments for each region group (None: no group)."""
    groups: list[str | None] = [*outcome_summary_definition().region_groups, None]
    return {
        group: [ref.instrument for ref in benefit.primary_candidates(group)] for group in groups
    }


@dataclass(frozen=True)
class MeasuredEpisodes:
    """``episodes`` episodes whose primary measure was ``instrument``, with this baseline and
    latest score (``latest`` None: no later measure); ``discharged`` when the episode ended."""

    instrument: str
    baseline: float
    latest: float | None
    discharged: bool
    episodes: int


@dataclass(frozen=True)
class BenefitShare:
    """One benefit across the clinic's episodes: how many had a baseline, a follow-up measure,
    and a change beyond the MCID, with the share's 95 % confidence interval."""

    key: str
    label: str
    measures: str
    instruments: tuple[str, ...]
    with_baseline: int
    followed_up: int
    improved: int
    worse: int
    lost_to_follow_up: int
    awaiting_follow_up: int
    share: Proportion | None

    def to_dict(self) -> dict[str, Any]:
        data = {name: value for name, value in self.__dict__.items() if name != "share"}
        data["instruments"] = list(self.instruments)
        data["improved_percent"] = None if self.share is None else self.share.per(100)
        return data


def judge(
    instrument: str, baseline: float, latest: float, thresholds: Mapping[str, ThresholdChoice]
) -> SeriesStatus:
    """The status one episode with this baseline and latest score gets on its summary."""
    choice = thresholds.get(threshold_name(instrument, None))
    try:
        return _judged(instrument, baseline, latest, choice)
    except TypeError:  # a clinic's own threshold that cannot be a cache key
        return _judge(instrument, baseline, latest, choice)


@lru_cache(maxsize=65536)
def _judged(
    instrument: str, baseline: float, latest: float, choice: ThresholdChoice
) -> SeriesStatus:
    """Scores repeat across episodes (NPRS 7 -> 3 is common): each pair is judged once."""
    return _judge(instrument, baseline, latest, choice)


def _judge(
    instrument: str, baseline: float, latest: float, choice: ThresholdChoice
) -> SeriesStatus:
    unit = get_instrument(instrument).measure(None)
    observations = [
        Observation(instrument, _BEFORE, baseline, unit.unit if unit else ""),
        Observation(instrument, _AFTER, latest, unit.unit if unit else ""),
    ]
    return series_status(compare(instrument, observations, mcid=choice), "mcid")


def benefit_share(
    benefit: BenefitDefinition,
    rows: Iterable[MeasuredEpisodes],
    thresholds: Mapping[str, ThresholdChoice] | None = None,
) -> BenefitShare:
    counts = {"with_baseline": 0, "followed_up": 0, "improved": 0, "worse": 0, "lost": 0}
    awaiting = 0
    for row in rows:
        counts["with_baseline"] += row.episodes
        if row.latest is None:
            counts["lost"] += row.episodes if row.discharged else 0
            awaiting += 0 if row.discharged else row.episodes
            continue
        counts["followed_up"] += row.episodes
        status = judge(row.instrument, row.baseline, row.latest, thresholds or {})
        counts["improved"] += row.episodes if status == "improved" else 0
        counts["worse"] += row.episodes if status == "worse" else 0
    instruments = dict.fromkeys(i for names in candidates_by_group(benefit).values() for i in names)
    followed = counts["followed_up"]
    return BenefitShare(
        key=benefit.key,
        label=benefit.label,
        measures=benefit.measures,
        instruments=tuple(get_instrument(i).abbreviation for i in instruments),
        with_baseline=counts["with_baseline"],
        followed_up=followed,
        improved=counts["improved"],
        worse=counts["worse"],
        lost_to_follow_up=counts["lost"],
        awaiting_follow_up=awaiting,
        share=wilson_interval(counts["improved"], followed) if followed else None,
    )


def completion(done: int, due: int) -> Proportion | None:
    """``done`` of ``due`` with its Wilson interval, or None when nothing was due."""
    return wilson_interval(done, due) if due else None
