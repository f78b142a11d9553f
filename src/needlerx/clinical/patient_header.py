"""Which screening facts the patient header shows as safety alerts (``patient_header.yaml``).

Plain data: the selector that reads a patient's facts (``treatments.selectors.header``) decides
which of these hold for a patient.
"""

from __future__ import annotations

from functools import cache

from pydantic import BaseModel, ConfigDict, Field

from needlerx.clinical.errors import ReferenceDataError
from needlerx.clinical.evidence import Source
from needlerx.clinical.reference import fact_catalogue
from needlerx.clinical.reference.loader import DATA_DIR, load_model, require_unique


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class HeaderAlertFact(_Strict):
    fact: str
    label: str = Field(min_length=1, max_length=40)


class PatientHeaderReference(_Strict):
    version: str
    source: Source
    alerts: tuple[HeaderAlertFact, ...] = Field(min_length=1)


@cache
def patient_header_reference() -> PatientHeaderReference:
    """patient_header.yaml, with every fact checked to be a yes/no fact of facts.yaml."""
    reference = load_model(PatientHeaderReference, DATA_DIR / "patient_header.yaml")
    require_unique("patient_header.yaml", "fact", (alert.fact for alert in reference.alerts))
    facts = fact_catalogue()
    for index, alert in enumerate(reference.alerts):
        fact = facts.get(alert.fact)
        if fact is None or fact.kind != "boolean":
            raise ReferenceDataError(
                f"patient_header.yaml: alerts[{index}].fact: {alert.fact!r} is not a yes/no "
                "fact of facts.yaml"
            )
    return reference
