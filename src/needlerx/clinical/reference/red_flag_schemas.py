"""Pydantic model for red_flags.yaml: the flags, the structured items that raise them, how urgency
follows tempo, and the wording of a flag a physician has medically cleared.

A combination is written in the rule condition language (no negation), so recording another
history item can only raise more flags.
"""

from __future__ import annotations

from pydantic import Field, model_validator

from needlerx.clinical.evidence import Source
from needlerx.clinical.reference.rule_schemas import (
    Condition,
    RedFlag,
    RuleCase,
    Threshold,
    condition_facts,
)
from needlerx.clinical.reference.schemas import SNAKE_ID, DataModel
from needlerx.clinical.reference.vocabulary import Urgency


class RedFlagCombination(DataModel):
    """Structured history items that together raise a red flag (as if it had been ticked)."""

    red_flag: str = Field(pattern=SNAKE_ID)
    name: str
    when: Condition
    source: Source
    cases: list[RuleCase] = Field(min_length=2)

    @model_validator(mode="after")
    def _cases_both_ways(self) -> RedFlagCombination:
        if {case.expect for case in self.cases} != {"fires", "silent"}:
            raise ValueError("cases need at least one that fires and one that stays silent")
        return self

    @property
    def reads(self) -> set[str]:
        return condition_facts(self.when)


class UrgencyEscalation(DataModel):
    """A flag's urgency rises unless ``unless_answered_no`` is recorded as false.

    An unanswered tempo question escalates: absence is never read as "no".
    """

    red_flag: str = Field(pattern=SNAKE_ID)
    urgency: Urgency
    unless_answered_no: str = Field(pattern=SNAKE_ID)
    message: str
    source: Source


class ClearedWording(DataModel):
    """How a medically cleared red flag reads (``{title}`` is the flag's own title); its rule id
    is the flag's with ``rule_infix`` before the number (RF-MALIGNANCY-CLEARED-001)."""

    rule_infix: str = Field(pattern=r"^[A-Z]+$")
    title: str
    message: str
    actions: list[str] = Field(min_length=1)
    source: Source


class RedFlagsDocument(DataModel):
    sources: dict[str, Source] = {}
    thresholds: dict[str, Threshold] = {}
    red_flags: list[RedFlag] = Field(min_length=1)
    combinations: list[RedFlagCombination] = []
    escalations: list[UrgencyEscalation] = []
    cleared: ClearedWording
