"""What the episode outcome summary measures: ``data/instruments/outcome_summary.yaml``.

For each of the seven benefits, the pre-specified primary measure (by region where it differs),
the secondary series shown beside it, and what the primary measure is judged against.
"""

from __future__ import annotations

from functools import cache
from typing import Literal, get_args

from pydantic import model_validator

from needlerx.clinical.evidence import Source
from needlerx.clinical.scoring.library import INSTRUMENT_IDS
from needlerx.clinical.scoring.loading import Strict, validate_data_file

BenefitKey = Literal[
    "pain_relief",
    "muscle_relaxation",
    "range_of_motion",
    "spasm_reduction",
    "recovery",
    "safety",
    "medication_reduction",
]
BENEFIT_KEYS: tuple[BenefitKey, ...] = get_args(BenefitKey)
JudgedBy = Literal["mcid", "descriptive", "rate"]
EVERY_KEY = "*"


class SeriesRef(Strict):
    """One series: an instrument and its key (``None`` for the main score, ``"*"`` for all)."""

    instrument: str
    key: str | None = None

    @model_validator(mode="after")
    def _known_instrument(self) -> SeriesRef:
        if self.instrument not in INSTRUMENT_IDS:
            raise ValueError(f"unknown instrument {self.instrument!r}")
        return self


class BenefitDefinition(Strict):
    key: BenefitKey
    label: str
    measures: str
    judged_by: JudgedBy
    primary: dict[str, list[SeriesRef]]  # "any", or a region group ("neck", "back")
    secondary: list[SeriesRef]
    not_applicable_when_baseline_is_zero: bool = False
    primary_note: str | None = None
    secondary_note: str | None = None

    def primary_candidates(self, region_group: str | None) -> list[SeriesRef]:
        """The primary measure's candidates in order of preference for this region group."""
        if "any" in self.primary:
            return self.primary["any"]
        return self.primary.get(region_group or "", [])


class OutcomeSummaryDefinition(Strict):
    version: str
    title: str
    scope: str
    attribution: str
    attribution_source: Source
    region_groups: dict[str, list[str]]
    benefits: list[BenefitDefinition]

    @model_validator(mode="after")
    def _every_benefit_once(self) -> OutcomeSummaryDefinition:
        keys = tuple(benefit.key for benefit in self.benefits)
        if keys != BENEFIT_KEYS:
            raise ValueError(f"benefits must be {', '.join(BENEFIT_KEYS)} in that order")
        for benefit in self.benefits:
            unknown = set(benefit.primary) - {"any", *self.region_groups}
            if unknown:
                raise ValueError(f"{benefit.key}: unknown region group(s) {sorted(unknown)}")
        return self

    def benefit(self, key: BenefitKey) -> BenefitDefinition:
        return next(benefit for benefit in self.benefits if benefit.key == key)

    def region_group(self, regions: list[str] | tuple[str, ...]) -> str | None:
        """The group (``neck``, ``back``) of the episode's first region, the one treated first."""
        for region in regions[:1]:
            for group, members in self.region_groups.items():
                if region in members:
                    return group
        return None


@cache
def outcome_summary_definition() -> OutcomeSummaryDefinition:
    return validate_data_file(OutcomeSummaryDefinition, "outcome_summary.yaml")
