"""Episode-of-care knowledge: regions, acuity from onset, and ICD-10-CM code checks."""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from importlib import resources

from pydantic import BaseModel, ConfigDict, ValidationError

from needlerx.clinical.errors import ClinicalInputError, ReferenceDataError
from needlerx.clinical.evidence import Source
from needlerx.clinical.reference.vocabulary import Region as MuscleRegion
from needlerx.clinical.yaml_data import yaml_load

DATA_FILE = "episode_of_care.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Region(_Strict):
    id: str
    label: str
    muscle_regions: list[MuscleRegion]


class AcuityBands(_Strict):
    acute_below_weeks: int
    chronic_above_weeks: int
    source: Source


class DiagnosisCode(_Strict):
    code: str
    title: str
    regions: list[str]


class EpisodeReference(_Strict):
    regions: list[Region]
    acuity: AcuityBands
    icd10cm_pattern: str
    icd10cm_pattern_source: Source
    icd10cm_common_codes: list[DiagnosisCode]
    icd10cm_common_codes_source: Source

    @property
    def region_ids(self) -> list[str]:
        return [region.id for region in self.regions]


@cache
def episode_reference() -> EpisodeReference:
    text = resources.files("needlerx.clinical").joinpath("data", DATA_FILE).read_text()
    try:
        return EpisodeReference.model_validate(yaml_load(text))
    except ValidationError as error:
        raise ReferenceDataError(f"{DATA_FILE}: {error}") from error


def acuity(*, onset: dt.date, on: dt.date) -> str:
    """``acute``, ``subacute`` or ``chronic`` from the whole weeks between onset and ``on``."""
    bands = episode_reference().acuity
    weeks = (on - onset).days / 7
    if weeks < bands.acute_below_weeks:
        return "acute"
    if weeks <= bands.chronic_above_weeks:
        return "subacute"
    return "chronic"


def validate_regions(regions: object, *, field: str = "regions") -> list[str]:
    allowed = episode_reference().region_ids
    if not isinstance(regions, list) or not regions:
        raise ClinicalInputError(field, f"choose one or more of {', '.join(allowed)}")
    for region in regions:
        if region not in allowed:
            raise ClinicalInputError(
                field, f"unknown region {region!r}; allowed: {', '.join(allowed)}"
            )
    return sorted(set(regions), key=allowed.index)


def validate_diagnosis_codes(codes: object, *, field: str = "diagnosis_codes") -> list[str]:
    """Normalise (upper case, trimmed) and check the shape of each ICD-10-CM code."""
    if not isinstance(codes, list):
        raise ClinicalInputError(field, "must be a list of ICD-10-CM codes, e.g. ['M54.2']")
    pattern = re.compile(episode_reference().icd10cm_pattern)
    cleaned = []
    for index, code in enumerate(codes):
        text = str(code).strip().upper() if isinstance(code, str) else ""
        if not pattern.fullmatch(text):
            raise ClinicalInputError(
                f"{field}[{index}]",
                f"{code!r} is not an ICD-10-CM code: expected a letter, two characters and an "
                "optional dot with up to four more, e.g. M54.2 or M62.830",
            )
        cleaned.append(text)
    return cleaned
