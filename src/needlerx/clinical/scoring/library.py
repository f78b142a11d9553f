"""Load and validate the instrument library under ``clinical/data/instruments``.

Every instrument is one YAML file checked against the strict models below: an unknown field, a
default threshold that does not exist, or an item list out of order fails loudly with
:class:`~needlerx.clinical.errors.ReferenceDataError` when the library is first loaded.
"""

from __future__ import annotations

from functools import cache
from typing import Any, Literal

from pydantic import Field, model_validator

from needlerx.clinical.errors import ClinicalInputError, ReferenceDataError
from needlerx.clinical.evidence import Source
from needlerx.clinical.scoring.loading import Strict, validate_data_file
from needlerx.clinical.scoring.tables import (
    AdverseEventRates,
    DoseCaution,
    MmeExample,
    MmeTable,
    NotConvertible,
    Opioid,
    PublishedRate,
    RecordedNotConverted,
    Severity,
    SeverityGroup,
    adverse_event_rates,
    mme_table,
)

# The reference tables live in ``tables.py``; callers keep importing them from the library.
__all__ = [
    "AdverseEventRates",
    "DoseCaution",
    "MmeExample",
    "MmeTable",
    "NotConvertible",
    "Opioid",
    "PublishedRate",
    "RecordedNotConverted",
    "Severity",
    "SeverityGroup",
    "adverse_event_rates",
    "mme_table",
]

# The public instrument ids (stable: stored measures and API clients use them), in the order
# the library lists them.
INSTRUMENT_IDS: tuple[str, ...] = (
    "nprs",
    "vas",
    "ndi",
    "odi",
    "rmdq",
    "psfs",
    "startback",
    "fabq",
    "pcs",
    "groc",
    "ppt",
    "rom",
    "spasm",
    "medication",
    "stiffness",
)

Direction = Literal["higher_is_worse", "higher_is_better"]
ValueType = Literal["integer", "number"]
ThresholdKind = Literal["absolute", "relative_percent"]
ScoringMethod = Literal[
    "single_item",
    "percent_of_answered",
    "sum",
    "mean",
    "startback",
    "subscales_only",
    "ppt",
    "rom",
    "spasm",
    "medication",
]
LicenceStatus = Literal[
    "generic", "free", "free_non_commercial", "licence_required", "unknown", "not_applicable"
]


class BaselineBand(Strict):
    """A threshold that depends on the baseline: ``value`` applies from ``baseline_from`` to
    ``baseline_to`` (both inclusive), in the threshold's ``scale_unit``."""

    baseline_from: float
    baseline_to: float
    value: float = Field(gt=0)
    note: str | None = None


class Threshold(Strict):
    """An MCID or MDC with its population and source.

    ``value`` is in ``scale_unit`` as published; ``to_score_factor`` converts it into the unit of
    the score it applies to (NDI raw points x 2 = percentage points). A clinic's own threshold is
    built the same way, with its own ``source``. ``baseline_bands``: the published value for a
    range of baselines (``value`` is then the overall value, used outside every band).
    ``muscles``: for a per-site measure (PPT), the catalogue muscles the value was measured at;
    it is not used at any other site.
    """

    id: str
    kind: ThresholdKind = "absolute"
    value: float = Field(gt=0)
    to_score_factor: float = Field(default=1.0, gt=0)
    scale_unit: str
    population: str
    note: str | None = None
    baseline_bands: list[BaselineBand] = []
    muscles: list[str] | None = None
    source: Source

    @property
    def score_value(self) -> float:
        """The threshold in the score's own unit (or in percent, for a relative threshold)."""
        if self.kind == "relative_percent":
            return self.value
        return self.value * self.to_score_factor

    def band_for(self, baseline: float | None) -> BaselineBand | None:
        """The baseline band ``baseline`` falls in, if this threshold has bands."""
        if baseline is None:
            return None
        return next(
            (b for b in self.baseline_bands if b.baseline_from <= baseline <= b.baseline_to),
            None,
        )

    def score_value_at(self, baseline: float | None) -> float:
        """``score_value``, or the value of the baseline band ``baseline`` falls in."""
        band = self.band_for(baseline)
        if band is None:
            return self.score_value
        return band.value if self.kind == "relative_percent" else band.value * self.to_score_factor


class ResponderRule(Strict):
    """A responder definition that needs every one of ``all_of`` (stored MCID ids) to be met,
    e.g. at least 2 points AND at least 30 % improvement on the NPRS (Ostelo 2008)."""

    id: str
    label: str
    all_of: list[str] = Field(min_length=2)
    note: str
    source: Source


class Band(Strict):
    """A score band. ``former_ids``: ids this band had before (stored results may carry them)."""

    id: str
    label: str
    upper: float  # inclusive upper bound of the band
    former_ids: list[str] = []


class Categories(Strict):
    applies_to: str
    source: Source
    bands: list[Band] = Field(min_length=2)

    @model_validator(mode="after")
    def _ascending(self) -> Categories:
        uppers = [band.upper for band in self.bands]
        if uppers != sorted(uppers) or len(set(uppers)) != len(uppers):
            raise ValueError("category bands must have strictly ascending upper bounds")
        return self

    def band(self, band_id: str) -> Band | None:
        """The band with this id, or the band that had it as a former id."""
        return next((b for b in self.bands if band_id == b.id or band_id in b.former_ids), None)

    def classify(self, value: float) -> Band:
        for band in self.bands:
            if value <= band.upper:
                return band
        return self.bands[-1]


class Item(Strict):
    key: str
    label: str
    min: float
    max: float
    value_type: ValueType = "integer"
    scored: bool = True
    positive_from: int | None = None
    anchors: dict[int, str] | None = None
    text: str | None = None
    loinc: str | None = None


class MissingItems(Strict):
    min_answered: int = Field(ge=1)
    rule: str
    source: Source


class Measure(Strict):
    """A score an instrument reports: its unit, range, direction and thresholds."""

    id: str
    label: str
    unit: str
    range: tuple[float, float] | None
    value_type: ValueType = "number"
    direction: Direction
    range_source: Source
    items: list[str] = []
    categories: Categories | None = None
    mcids: list[Threshold] = []
    default_mcid: str | None = None
    mdcs: list[Threshold] = []
    default_mdc: str | None = None
    responder_rules: list[ResponderRule] = []
    default_responder_rule: str | None = None
    notes: list[str] = []

    @model_validator(mode="after")
    def _defaults_exist(self) -> Measure:
        for default, options in ((self.default_mcid, self.mcids), (self.default_mdc, self.mdcs)):
            if default is not None and default not in {t.id for t in options}:
                raise ValueError(f"default threshold {default!r} is not in the list")
        if any(t.kind != "absolute" for t in self.mdcs):
            raise ValueError("an MDC must be absolute (in the score's unit)")
        mcid_ids = {t.id for t in self.mcids}
        for rule in self.responder_rules:
            if rule.id in mcid_ids or not set(rule.all_of) <= mcid_ids:
                raise ValueError(f"responder rule {rule.id!r} must combine stored MCIDs only")
        rule_ids = {rule.id for rule in self.responder_rules}
        if self.default_responder_rule is not None and self.default_responder_rule not in rule_ids:
            raise ValueError(f"default responder rule {self.default_responder_rule!r} is unknown")
        return self

    def responder_rule(self, rule_id: str) -> ResponderRule | None:
        return next((rule for rule in self.responder_rules if rule.id == rule_id), None)

    def threshold(self, kind: Literal["mcid", "mdc"], threshold_id: str) -> Threshold | None:
        options = self.mcids if kind == "mcid" else self.mdcs
        return next((t for t in options if t.id == threshold_id), None)


class Scoring(Strict):
    method: ScoringMethod
    description: str
    source: Source


class Loinc(Strict):
    code: str | None
    display: str | None = None
    source: Source


class Licence(Strict):
    status: LicenceStatus
    item_text_shipped: bool
    note: str
    source: Source


class PptSettings(Strict):
    kpa_per_kg_cm2: float = Field(gt=0)
    conversion_source: Source
    max_trials: int = Field(ge=1)
    sides: list[str]


class PatientNamedItems(Strict):
    """Items the patient names (PSFS activities): the names travel in ``responses[field]`` keyed
    like the items, and the same names are re-rated, in the same order, at each follow-up."""

    field: str
    label: str
    max_length: int = Field(ge=1)
    rule: str
    source: Source


class StartBackRisk(Strict):
    low_total_upper: int
    high_subscale_lower: int
    labels: dict[Literal["low", "medium", "high"], str]
    description: str
    source: Source


class Instrument(Strict):
    id: str
    name: str
    abbreviation: str
    version: str
    form: str
    measures: str
    kind: Literal["single_item", "questionnaire", "measurement"]
    scoring: Scoring
    items: list[Item] = []
    missing_items: MissingItems | None = None
    score: Measure | None
    subscales: list[Measure] = []
    additional_scores: list[Measure] = []
    startback_risk: StartBackRisk | None = None
    ppt: PptSettings | None = None
    patient_named_items: PatientNamedItems | None = None
    sources: dict[str, Source] = {}
    notes: list[str] = []
    loinc: Loinc
    licence: Licence

    @model_validator(mode="after")
    def _consistent(self) -> Instrument:
        keys = [item.key for item in self.items]
        if keys != [str(n) for n in range(1, len(keys) + 1)]:
            raise ValueError('items must be keyed "1".."n" in the published order')
        if self.items and self.missing_items is None:
            raise ValueError("an instrument with items needs a missing_items rule")
        if any(item.text for item in self.items) and not self.licence.item_text_shipped:
            raise ValueError("item text is shipped but the licence does not allow it")
        for measure in self.subscales:
            unknown = set(measure.items) - set(keys)
            if unknown:
                raise ValueError(f"subscale {measure.id} names unknown items {sorted(unknown)}")
        return self

    def measure(self, key: str | None) -> Measure | None:
        """The measure a time series follows: the score, or a subscale by id."""
        if key is None:
            return self.score
        return next((m for m in self.subscales if m.id == key), None)

    def current_band(self, measure_id: str | None, band_id: str) -> Band | None:
        """The band ``band_id`` (current or former) of the score or of a named measure."""
        measures = [self.score, *self.subscales, *self.additional_scores]
        for measure in measures:
            if measure is None or measure.categories is None:
                continue
            if measure_id is not None and measure.id != measure_id:
                continue
            found = measure.categories.band(band_id)
            if found is not None:
                return found
        return None

    def to_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude={"sources"})


@cache
def instruments() -> dict[str, Instrument]:
    """Every instrument, keyed by id in the public order; validated once per process."""
    loaded: dict[str, Instrument] = {}
    for instrument_id in INSTRUMENT_IDS:
        instrument = validate_data_file(Instrument, f"{instrument_id}.yaml")
        if instrument.id != instrument_id:
            raise ReferenceDataError(f"instruments/{instrument_id}.yaml: id is {instrument.id!r}")
        loaded[instrument_id] = instrument
    return loaded


def get_instrument(instrument_id: object) -> Instrument:
    """The instrument with this id, or a :class:`ClinicalInputError` naming the allowed ids."""
    library = instruments()
    if isinstance(instrument_id, str) and instrument_id in library:
        return library[instrument_id]
    raise ClinicalInputError(
        "instrument",
        f"unknown instrument {instrument_id!r}; allowed: {', '.join(INSTRUMENT_IDS)}",
    )
