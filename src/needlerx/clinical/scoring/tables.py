"""The medication and safety reference tables beside the instruments: CDC 2022 MME factors
(``mme.yaml``) and published dry-needling adverse-event rates (``adverse_event_rates.yaml``)."""

from __future__ import annotations

from functools import cache
from typing import Literal

from pydantic import Field, model_validator

from needlerx.clinical.evidence import Source
from needlerx.clinical.scoring.loading import Strict, validate_data_file


class Opioid(Strict):
    id: str
    name: str
    factor: float = Field(gt=0)
    dose_unit: Literal["mg", "mcg/h"]
    caution: str | None = None


class NotConvertible(Strict):
    id: str
    message: str
    source: Source


class RecordedNotConverted(Strict):
    """An opioid recorded with its dose but never converted to MME (buprenorphine)."""

    id: str
    name: str
    dose_units: list[Literal["mg", "mcg/h"]] = Field(min_length=1)
    message: str
    source: Source


class DoseCaution(Strict):
    at_or_above: float = Field(gt=0)
    message: str
    source: Source


class MmeExample(Strict):
    drug: str
    dose: float
    doses_per_day: float
    mme_per_day: float


class MmeTable(Strict):
    version: str
    source: Source
    opioids: list[Opioid]
    not_convertible: list[NotConvertible]
    recorded_not_converted: list[RecordedNotConverted] = []
    dose_cautions: list[DoseCaution] = []
    worked_examples: list[MmeExample]
    cautions: list[str]

    @model_validator(mode="after")
    def _cautions_ascending(self) -> MmeTable:
        levels = [caution.at_or_above for caution in self.dose_cautions]
        if levels != sorted(set(levels)):
            raise ValueError("dose cautions must have strictly ascending levels")
        return self

    def opioid(self, drug: str) -> Opioid | None:
        return next((o for o in self.opioids if o.id == drug), None)

    def recorded_only(self, drug: str) -> RecordedNotConverted | None:
        return next((o for o in self.recorded_not_converted if o.id == drug), None)

    def dose_caution(self, mme_per_day: float) -> DoseCaution | None:
        """The highest caution the daily MME reaches, if any."""
        reached = [c for c in self.dose_cautions if mme_per_day >= c.at_or_above]
        return reached[-1] if reached else None


Severity = Literal["mild", "significant", "serious"]
SeverityGroup = Literal["mild", "major"]


class PublishedRate(Strict):
    id: str
    group: SeverityGroup
    label: str
    events: int = Field(ge=0)
    treatments: int = Field(gt=0)
    per_1000: float = Field(ge=0)
    note: str
    source: Source


class ConfidenceIntervalMethod(Strict):
    """How a rate's confidence interval is computed: the method's name, level and source."""

    method: Literal["Wilson score interval"]
    level_percent: float = Field(gt=0, lt=100)
    z: float = Field(gt=0)
    source: Source


class AdverseEventRates(Strict):
    version: str
    severity_groups: dict[SeverityGroup, list[Severity]]
    severity_groups_source: Source
    rates: list[PublishedRate]
    comparators: dict[SeverityGroup, str]
    comparators_rationale: str
    confidence_interval: ConfidenceIntervalMethod

    @model_validator(mode="after")
    def _comparators_exist(self) -> AdverseEventRates:
        ids = {rate.id: rate.group for rate in self.rates}
        for group, rate_id in self.comparators.items():
            if ids.get(rate_id) != group:
                raise ValueError(f"comparator {rate_id!r} is not a published {group} rate")
        return self

    def rate(self, rate_id: str) -> PublishedRate:
        return next(rate for rate in self.rates if rate.id == rate_id)


@cache
def mme_table() -> MmeTable:
    return validate_data_file(MmeTable, "mme.yaml")


@cache
def adverse_event_rates() -> AdverseEventRates:
    return validate_data_file(AdverseEventRates, "adverse_event_rates.yaml")
