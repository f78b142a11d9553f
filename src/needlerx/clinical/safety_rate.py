"""Adverse events as a rate: events per 1,000 needling sessions with a 95 % confidence interval,
set beside the published rates (``data/instruments/adverse_event_rates.yaml``), and the share of
needling sessions whose follow-up contact was made. Never "improved": a rate is reported.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from needlerx.clinical.errors import ClinicalInputError
from needlerx.clinical.scoring.inputs import is_whole_number
from needlerx.clinical.scoring.library import PublishedRate, Severity, adverse_event_rates

SEVERITIES: tuple[Severity, ...] = ("mild", "significant", "serious")
PER = 1000
Comparison = Literal["above", "below", "consistent"]


def whole_count(value: Any, field: str) -> int:
    if not is_whole_number(value) or value < 0:
        raise ClinicalInputError(field, f"must be a whole number of 0 or more (got {value!r})")
    return int(value)


@dataclass(frozen=True)
class AdverseEventCounts:
    """Adverse events in the episode by severity (White et al. 3-level scale)."""

    mild: int = 0
    significant: int = 0
    serious: int = 0

    @classmethod
    def parse(cls, data: AdverseEventCounts | Mapping[str, Any] | None) -> AdverseEventCounts:
        if isinstance(data, AdverseEventCounts) or data is None:
            data = {} if data is None else data.__dict__
        for name, value in data.items():
            if name not in SEVERITIES:
                raise ClinicalInputError(
                    f"adverse_events.{name}", f"allowed severities: {', '.join(SEVERITIES)}"
                )
            whole_count(value, f"adverse_events.{name}")
        return cls(**data)


@dataclass(frozen=True)
class Proportion:
    """``count`` of ``total`` with a confidence interval, as a fraction (0-1)."""

    count: int
    total: int
    low: float
    high: float

    @property
    def value(self) -> float:
        return self.count / self.total

    def per(self, scale: int) -> dict[str, float]:
        return {
            "value": round(self.value * scale, 2),
            "low": round(self.low * scale, 2),
            "high": round(self.high * scale, 2),
        }


def wilson_interval(count: int, total: int) -> Proportion:
    """The Wilson score interval at the level ``adverse_event_rates.yaml`` names."""
    if total <= 0 or not 0 <= count <= total:
        raise ClinicalInputError("count", f"must be from 0 to the total {total} (got {count})")
    z = adverse_event_rates().confidence_interval.z
    share = count / total
    scale = 1 + z * z / total
    centre = (share + z * z / (2 * total)) / scale
    half = z / scale * math.sqrt(share * (1 - share) / total + z * z / (4 * total * total))
    return Proportion(count, total, max(0.0, centre - half), min(1.0, centre + half))


@dataclass(frozen=True)
class GroupRate:
    """One severity group's rate per 1,000 needling sessions beside its published rate."""

    group: str
    events: int
    sessions: int
    per_1000: float
    ci_low: float
    ci_high: float
    comparator: PublishedRate
    comparison: Comparison

    @property
    def words(self) -> str:
        published = f"{self.comparator.per_1000:g} per 1,000 in {self.comparator.label}"
        return {
            "above": f"above the published {published}",
            "below": f"below the published {published}",
            "consistent": f"consistent with the published {published}",
        }[self.comparison]

    def to_dict(self) -> dict[str, Any]:
        return {
            "group": self.group,
            "events": self.events,
            "sessions": self.sessions,
            "per_1000": self.per_1000,
            "ci_95": [self.ci_low, self.ci_high],
            "comparator": self.comparator.model_dump(mode="json"),
            "comparison": self.comparison,
            "words": self.words,
        }


def group_rate(group: str, events: int, sessions: int, comparator: PublishedRate) -> GroupRate:
    """The interval treats events as a share of sessions (at most one per session counts)."""
    interval = wilson_interval(min(events, sessions), sessions).per(PER)
    comparison: Comparison = (
        "above"
        if interval["low"] > comparator.per_1000
        else "below"
        if interval["high"] < comparator.per_1000
        else "consistent"
    )
    return GroupRate(
        group,
        events,
        sessions,
        round(events / sessions * PER, 2),
        interval["low"],
        interval["high"],
        comparator,
        comparison,
    )


@dataclass(frozen=True)
class SafetyReport:
    """The safety benefit: rates with confidence intervals and follow-up completion."""

    sessions: int
    adverse_events: AdverseEventCounts
    rates: tuple[GroupRate, ...]
    follow_ups_due: int
    follow_ups_made: int
    follow_up_completion: Proportion | None

    @property
    def serious(self) -> int:
        return self.adverse_events.serious

    def to_dict(self) -> dict[str, Any]:
        rates = adverse_event_rates()
        completion = self.follow_up_completion
        return {
            "sessions": self.sessions,
            "adverse_events": dict(self.adverse_events.__dict__),
            "rates": [rate.to_dict() for rate in self.rates],
            "follow_ups_due": self.follow_ups_due,
            "follow_ups_made": self.follow_ups_made,
            "follow_up_completion_percent": None if completion is None else completion.per(100),
            "confidence_interval_method": rates.confidence_interval.model_dump(mode="json"),
            "published_rates": [rate.model_dump(mode="json") for rate in rates.rates],
            "comparators_rationale": rates.comparators_rationale,
        }


def safety_report(
    sessions: int,
    adverse_events: AdverseEventCounts | Mapping[str, Any] | None,
    *,
    follow_ups_due: int = 0,
    follow_ups_made: int = 0,
) -> SafetyReport:
    """``sessions`` needling sessions; ``follow_ups_due`` of them past the follow-up window
    opening, of which ``follow_ups_made`` had a follow-up contact recorded."""
    sessions = whole_count(sessions, "session_count")
    due = whole_count(follow_ups_due, "follow_ups_due")
    made = whole_count(follow_ups_made, "follow_ups_made")
    if made > due:
        raise ClinicalInputError("follow_ups_made", f"cannot exceed follow_ups_due ({due})")
    counts = AdverseEventCounts.parse(adverse_events)
    data = adverse_event_rates()
    rates: tuple[GroupRate, ...] = ()
    if sessions:
        rates = tuple(
            group_rate(
                group,
                sum(getattr(counts, severity) for severity in severities),
                sessions,
                data.rate(data.comparators[group]),
            )
            for group, severities in data.severity_groups.items()
        )
    completion = wilson_interval(made, due) if due else None
    return SafetyReport(sessions, counts, rates, due, made, completion)
