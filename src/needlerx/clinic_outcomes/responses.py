"""The outcomes API's answer: the dashboard's figures, every one declared."""

from __future__ import annotations

from pydantic import Field

from needlerx.core.responses import IsoDate, Out


class PercentIntervalOut(Out):
    value: float = Field(description="The share or rate itself.")
    low: float = Field(description="Lower end of the 95 % confidence interval.")
    high: float = Field(description="Upper end of the 95 % confidence interval.")


class OutcomesClinicOut(Out):
    id: str
    name: str
    time_zone: str


class OutcomesFiltersOut(Out):
    from_: IsoDate = Field(alias="from", description="First day, in the clinic's dates.")
    to: IsoDate = Field(description="Last day (inclusive), in the clinic's dates.")
    clinician: str | None = Field(description="The clinician's id, or null for everyone.")
    region: str | None = Field(description="neck, back, or null for both.")


class EpisodesOut(Out):
    started: int = Field(description="Episodes opened in the range.")
    completed: int = Field(description="Episodes discharged in the range.")


class MeasureOut(Out):
    key: str
    label: str
    measures: str
    instruments: list[str] = Field(description="The primary measure's candidates, in order.")
    with_baseline: int = Field(description="Episodes opened in the range with a first measure.")
    followed_up: int = Field(description="Of those, episodes with a later measure: the base.")
    improved: int = Field(description="Episodes whose change reached the MCID.")
    worse: int = Field(description="Episodes that got worse by at least the MCID.")
    lost_to_follow_up: int = Field(description="Discharged with no later measure.")
    awaiting_follow_up: int = Field(description="Still open with no later measure yet.")
    improved_percent: PercentIntervalOut | None = Field(description="improved / followed_up, in %.")


class CompletionOut(Out):
    done: int
    due: int
    percent: PercentIntervalOut | None


class QuestionnairesOut(CompletionOut):
    sent: int = Field(description="Check-ins and questionnaires sent in the range.")


class ClinicRateOut(Out):
    group: str = Field(description="mild, or major (significant and serious).")
    events: int
    sessions: int
    per_1000: float
    ci_95: list[float] = Field(description="95 % confidence interval per 1,000 sessions.")
    comparator: str = Field(description="The published rate it is compared with.")
    comparator_per_1000: float
    comparison: str = Field(description="above, below or consistent (the interval decides).")
    words: str


class PublishedRateOut(Out):
    id: str
    group: str
    label: str
    events: int
    treatments: int
    per_1000: float
    note: str
    citation: str
    url: str | None


class EventTypeOut(Out):
    type: str
    label: str
    severity: str
    events: int


class AdverseEventsOut(Out):
    needling_sessions: int
    mild: int
    significant: int
    serious: int
    rates: list[ClinicRateOut]
    published_rates: list[PublishedRateOut]
    confidence_interval_method: str
    by_type: list[EventTypeOut]


class LimitOut(Out):
    title: str
    text: str
    source: str


class ClinicOutcomesOut(Out):
    clinic: OutcomesClinicOut
    filters: OutcomesFiltersOut
    episodes: EpisodesOut
    measures: list[MeasureOut]
    follow_up: CompletionOut
    questionnaires: QuestionnairesOut
    adverse_events: AdverseEventsOut
    limits: list[LimitOut]
