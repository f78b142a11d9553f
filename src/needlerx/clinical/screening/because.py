"""The "because" sentence of a finding: its evidence facts in plain words, from the labels and
phrases of facts.yaml ("BMI 22.5 (170 cm, 65 kg)"; "Takes an anticoagulant")."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from needlerx.clinical.reference import FactDefinition, fact_catalogue

SIDE_WORDS = {"left": "left", "right": "right", "bilateral": "both sides,", "midline": "midline"}


def because(evidence: Mapping[str, Any]) -> str | None:
    """One sentence naming what made the finding fire, or None when nothing can be said."""
    catalogue = fact_catalogue()
    qualifiers: dict[str, list[str]] = {}
    for qualifier in catalogue.values():  # catalogue order: the same sentence every time
        if qualifier.id in evidence and qualifier.qualifies in evidence:
            phrase = fact_phrase(qualifier, evidence[qualifier.id])
            if phrase:
                qualifiers.setdefault(str(qualifier.qualifies), []).append(phrase)
    phrases: list[str] = []
    for fact_id, value in evidence.items():
        definition = catalogue.get(fact_id)
        if definition is None or definition.qualifies in evidence:
            continue
        if set(definition.derived_from) & set(evidence):
            continue  # a computed flag whose own evidence is shown (record_conflicts)
        phrase = fact_phrase(definition, value)
        if phrase and fact_id in qualifiers:
            phrase = f"{phrase} ({', '.join(qualifiers[fact_id])})"
        if phrase:
            phrases.append(phrase)
    if not phrases:
        return None
    joined = "; ".join([phrases[0], *(_lower_first(phrase) for phrase in phrases[1:])])
    return joined[0].upper() + joined[1:] + ("" if joined.endswith(".") else ".")


def fact_phrase(definition: FactDefinition, value: Any) -> str:
    """How one recorded fact reads in a sentence; an empty string for a "no"."""
    if definition.kind == "boolean":
        return (definition.phrase or definition.label) if value is True else ""
    if definition.kind == "sites":
        places = "; ".join(_site_words(site) for site in value or [])
        return f"{definition.label}: {places}" if places else ""
    if definition.kind == "fact_ids":
        return _fact_ids_phrase(definition, value)
    shown = f"{value:g}" if isinstance(value, int | float) else str(value)
    if definition.phrase:
        return definition.phrase.format(value=shown)
    unit = f" {definition.unit}" if definition.unit else ""
    return f"{definition.label} {shown}{unit}"


def _fact_ids_phrase(definition: FactDefinition, value: Any) -> str:
    ids = list(value or [])
    if definition.choices:
        return "; ".join(
            _lower_first(definition.choices[i]) if n else definition.choices[i]
            for n, i in enumerate(ids)
        )
    labels = [fact_catalogue()[fact_id].label.lower() for fact_id in ids]
    return f"{definition.label}: {', '.join(labels)}" if labels else ""


def _site_words(site: Mapping[str, str]) -> str:
    side = SIDE_WORDS.get(site.get("side", ""), site.get("side", ""))
    return f"{side} {site.get('area', '').replace('_', ' ')}".strip()


def _lower_first(text: str) -> str:
    """Lower-case the first letter unless the first word is an abbreviation (BMI, INR)."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text
