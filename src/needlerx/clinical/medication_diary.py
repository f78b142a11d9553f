"""The medication diary a patient fills at home, in their words: which question asks for which
part of the clinic's "Medication use" measure (``data/instruments/medication.yaml``), and the
opioids a patient can name (``data/instruments/mme.yaml``). The wording lives in
``data/medication_diary.yaml``; this module checks that every class and opioid it names is one
the core scores. Plain Python, no Django."""

from __future__ import annotations

from functools import cache

from pydantic import BaseModel, ConfigDict, Field, model_validator

from needlerx.clinical.evidence import Source
from needlerx.clinical.reference.loader import DATA_DIR, load_model, require_unique
from needlerx.clinical.scoring.library import get_instrument, mme_table

MEDICATION = "medication"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Choice(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str = Field(min_length=1)


class MedicationDiary(Strict):
    version: str
    sources: dict[str, Source]
    title: str = Field(min_length=1)
    any_days_question: str = Field(min_length=1)
    any_days_help: str
    classes_question: str = Field(min_length=1)
    classes_help: str
    classes: list[Choice] = Field(min_length=1)
    opioid_question: str = Field(min_length=1)
    opioid_help: str
    opioid_rows: int = Field(ge=0, le=5)
    opioids: list[Choice]
    source: Source

    @model_validator(mode="after")
    def _scored_by_the_core(self) -> MedicationDiary:
        measured = {m.id for m in get_instrument(MEDICATION).additional_scores}
        unknown = sorted({c.id for c in self.classes} - measured)
        if unknown:
            raise ValueError(f"classes {unknown} are not medication.yaml additional scores")
        table = mme_table()
        known = {o.id for o in table.opioids} | {o.id for o in table.recorded_not_converted}
        unknown = sorted({o.id for o in self.opioids} - known)
        if unknown:
            raise ValueError(f"opioids {unknown} are not in mme.yaml")
        return self

    def dose_unit(self, drug: str, per_day_given: bool) -> str:
        """The unit the core expects for ``drug``: its only unit, or for a drug taken as tablets
        or as a patch (buprenorphine) mg when doses a day are given and mcg/h when not."""
        table = mme_table()
        opioid = table.opioid(drug)
        if opioid is not None:
            return opioid.dose_unit
        recorded = table.recorded_only(drug)
        units = list(recorded.dose_units) if recorded is not None else ["mg"]
        if len(units) == 1:
            return units[0]
        patch = next((u for u in units if "/h" in u), units[0])
        tablet = next((u for u in units if "/h" not in u), units[0])
        return tablet if per_day_given else patch


@cache
def medication_diary() -> MedicationDiary:
    diary = load_model(MedicationDiary, DATA_DIR / "medication_diary.yaml")
    require_unique("medication_diary.yaml", "class", (c.id for c in diary.classes))
    require_unique("medication_diary.yaml", "opioid", (o.id for o in diary.opioids))
    return diary
