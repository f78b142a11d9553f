"""The CPT suggestion for a session's needling, with the count and the reasoning behind it.

Pure (no Django). The counting rule, the mapping from catalogue entries to anatomical muscles,
the codes and the notices are data (``clinical/data/billing.yaml``), each with its source. Right
and left are two muscles; a ``bilateral`` entry counts once on each side; parts or levels of one
muscle (upper and middle trapezius) count as one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from needlerx.clinical.errors import ClinicalInputError
from needlerx.clinical.evidence import Source
from needlerx.clinical.reference import muscle_catalogue
from needlerx.clinical.treatment_reference import (
    AnatomicalMuscle,
    BillingCode,
    anatomical_muscle_index,
    billing_reference,
)

# A recorded side -> the sides it counts on; "bilateral" is the left and the right muscle.
COUNTED_SIDES: dict[str, tuple[str, ...]] = {
    "left": ("left",),
    "right": ("right",),
    "bilateral": ("left", "right"),
    "midline": ("midline",),
}
SIDE_ORDER = ("left", "right", "midline")
SIDE_WORDS = {"bilateral": "both sides"}


@dataclass(frozen=True)
class CountedEntry:
    """A recorded needling entry (catalogue muscle and side) that fed a counted muscle."""

    muscle: str
    side: str

    def words(self) -> str:
        """E.g. "Upper trapezius (both sides)"."""
        return f"{muscle_catalogue()[self.muscle].name} ({SIDE_WORDS.get(self.side, self.side)})"

    def to_dict(self) -> dict[str, str]:
        return {
            "muscle": self.muscle,
            "name": muscle_catalogue()[self.muscle].name,
            "side": self.side,
        }


@dataclass(frozen=True)
class CountedMuscle:
    """One anatomical muscle on one side: one towards the code's muscle count."""

    muscle: AnatomicalMuscle
    side: str
    entries: tuple[CountedEntry, ...]

    @property
    def key(self) -> str:
        return f"{self.muscle.id}:{self.side}"

    def reasoning(self) -> str:
        """Why these entries are this one muscle, in words a biller can check."""
        names = [e.words() for e in self.entries]
        sentence = f"{self.muscle.name}, {self.side}: from {_join(names)}"
        distinct = {e.muscle for e in self.entries}
        if not self.muscle.named:
            return (
                f"{sentence}. No specific muscle is named: this counts as one muscle, and payers "
                "expect the specific muscle to be named."
            )
        if len(distinct) > 1:
            return f"{sentence}: parts or levels of one muscle, counted once."
        if any(e.side == "bilateral" for e in self.entries):
            return f"{sentence}: needled on both sides, and each side is a muscle."
        return f"{sentence}."

    def to_dict(self) -> dict[str, Any]:
        return {
            "muscle": self.muscle.id,
            "name": self.muscle.name,
            "side": self.side,
            "named": self.muscle.named,
            "entries": [entry.to_dict() for entry in self.entries],
            "reasoning": self.reasoning(),
        }


@dataclass(frozen=True)
class BillingSuggestion:
    code: str | None
    label: str
    counted: tuple[CountedMuscle, ...]
    diagnosis_codes: tuple[str, ...]
    rule: str
    rule_sources: tuple[Source, ...]
    source: Source
    notices: tuple[str, ...]

    @property
    def distinct_muscles(self) -> tuple[str, ...]:
        """``muscle:side`` of each anatomical muscle counted (for example ``trapezius:left``)."""
        return tuple(muscle.key for muscle in self.counted)

    def to_dict(self) -> dict[str, Any]:
        return {
            "code_system": billing_reference().code_system,
            "code": self.code,
            "label": self.label,
            "distinct_muscle_count": len(self.counted),
            "distinct_muscles": list(self.distinct_muscles),
            "counted_muscles": [muscle.to_dict() for muscle in self.counted],
            "diagnosis_codes": list(self.diagnosis_codes),
            "rule": self.rule,
            "rule_sources": [source.label_for_clinicians() for source in self.rule_sources],
            "mapping_source": _mapping_source().label_for_clinicians(),
            "source": self.source.label(),
            "notices": list(self.notices),
        }


def count_muscles(entries: Iterable[tuple[str, str]]) -> tuple[CountedMuscle, ...]:
    """The anatomical muscles per side that these (catalogue muscle, side) entries needled."""
    index = anatomical_muscle_index()
    found: dict[tuple[str, str], list[CountedEntry]] = {}
    for position, (muscle_id, side) in enumerate(entries):
        if muscle_id not in index:
            raise ClinicalInputError(f"entries[{position}].muscle", f"unknown muscle {muscle_id!r}")
        if side not in COUNTED_SIDES:
            allowed = ", ".join(COUNTED_SIDES)
            raise ClinicalInputError(f"entries[{position}].side", f"{side!r}; allowed: {allowed}")
        entry = CountedEntry(muscle_id, side)
        for counted_side in COUNTED_SIDES[side]:
            fed = found.setdefault((index[muscle_id].id, counted_side), [])
            if entry not in fed:
                fed.append(entry)
    by_id = {m.id: m for m in billing_reference().anatomical_muscles.muscles}
    order = list(by_id)
    keys = sorted(found, key=lambda key: (order.index(key[0]), SIDE_ORDER.index(key[1])))
    return tuple(CountedMuscle(by_id[m], side, tuple(found[(m, side)])) for m, side in keys)


def billing_suggestion(
    entries: Iterable[tuple[str, str]], diagnosis_codes: Iterable[str]
) -> BillingSuggestion:
    """The CPT code for the anatomical muscles needled, counted per side (billing.yaml)."""
    reference = billing_reference()
    counted = count_muscles(entries)
    chosen = _code_for(len(counted))
    notices = [notice.text for notice in reference.notices]
    if any(not muscle.muscle.named for muscle in counted):
        notices.insert(0, reference.not_named_notice.text)
    return BillingSuggestion(
        code=chosen.code if chosen else None,
        label=chosen.label if chosen else "No dry needling recorded: no needling code applies",
        counted=counted,
        diagnosis_codes=tuple(diagnosis_codes),
        rule=reference.counting_rule.explanation,
        rule_sources=tuple(reference.counting_rule.sources),
        source=chosen.source if chosen else reference.counting_rule.sources[0],
        notices=tuple(notices),
    )


def _code_for(count: int) -> BillingCode | None:
    return next(
        (
            code
            for code in billing_reference().codes
            if code.min_muscles <= count and (code.max_muscles is None or count <= code.max_muscles)
        ),
        None,
    )


def _mapping_source() -> Source:
    """Where the reading of which catalogue entries are one muscle comes from."""
    return billing_reference().anatomical_muscles.source


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"
