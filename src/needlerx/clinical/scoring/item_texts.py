"""Load item text a clinic is licensed to use (ODI, NDI, STarT Back...) from its own file.

NeedleRx never ships licensed text. A clinic that holds a licence writes a YAML or JSON file::

    instrument: odi
    source: "ODI v2.1a, licensed from Mapi Research Trust, agreement 1234"
    items:
      "1": "Section 1 heading as licensed"
      "2": {text: "Section 2 heading", options: {"0": "statement scored 0", "5": "..."}}

and :func:`load_item_texts` checks that the keys are exactly the instrument's item keys and that
every option value is a score the item allows.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from needlerx.clinical.errors import ClinicalInputError
from needlerx.clinical.scoring.inputs import reject_unknown_keys, require_mapping
from needlerx.clinical.scoring.library import Instrument, Item, get_instrument
from needlerx.clinical.yaml_data import NotYaml, yaml_load

FILE_FIELDS = ("instrument", "source", "items")
ITEM_FIELDS = ("text", "options")


@dataclass(frozen=True)
class ItemText:
    text: str
    options: dict[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ItemTexts:
    """A clinic's licensed wording for one instrument, keyed like the responses ("1".."n")."""

    instrument: str
    source: str
    items: dict[str, ItemText]

    def to_dict(self) -> dict[str, Any]:
        return {
            "instrument": self.instrument,
            "source": self.source,
            "items": {
                key: {"text": t.text, "options": {str(v): s for v, s in t.options.items()}}
                for key, t in self.items.items()
            },
        }


def _parse(path: Path) -> object:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ClinicalInputError("file", f"cannot read {path.name} ({error})") from error
    try:
        return json.loads(text) if path.suffix.lower() == ".json" else yaml_load(text)
    except (json.JSONDecodeError, NotYaml) as error:
        raise ClinicalInputError(
            "file", f"{path.name} is not valid YAML or JSON ({error})"
        ) from error


def _options(field_name: str, item: Item, raw: object) -> dict[int, str]:
    options: dict[int, str] = {}
    for value, text in require_mapping(field_name, raw, "options").items():
        number = int(value) if isinstance(value, str) and value.lstrip("-").isdigit() else value
        if not isinstance(number, int) or not item.min <= number <= item.max:
            raise ClinicalInputError(
                f"{field_name}.{value}",
                f"item {item.key} scores run from {item.min:g} to {item.max:g} (got {value!r})",
            )
        if not isinstance(text, str) or not text.strip():
            raise ClinicalInputError(f"{field_name}.{value}", "option text must be non-empty text")
        options[number] = text
    return options


def _item_text(field_name: str, item: Item, raw: object) -> ItemText:
    if isinstance(raw, str) and raw.strip():
        return ItemText(text=raw)
    mapping = require_mapping(field_name, raw, f"item {item.key}")
    reject_unknown_keys(field_name, mapping, ITEM_FIELDS, f"item {item.key}")
    text = mapping.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ClinicalInputError(f"{field_name}.text", "item text must be non-empty text")
    return ItemText(
        text=text, options=_options(f"{field_name}.options", item, mapping.get("options", {}))
    )


def _check_keys(instrument: Instrument, items: Mapping[str, Any]) -> None:
    expected = [item.key for item in instrument.items]
    reject_unknown_keys("items", items, expected, f"{instrument.abbreviation} item text")
    missing = [key for key in expected if key not in items]
    if missing:
        raise ClinicalInputError("items", f"item text is missing for items {', '.join(missing)}")


def load_item_texts(instrument_id: str, path: str | Path) -> ItemTexts:
    """Read and validate a clinic-supplied item-text file for ``instrument_id``."""
    instrument = get_instrument(instrument_id)
    document = require_mapping("file", _parse(Path(path)), "The item-text file")
    reject_unknown_keys("file", document, FILE_FIELDS, "The item-text file")
    if document.get("instrument") != instrument.id:
        raise ClinicalInputError(
            "instrument", f"the file is for {document.get('instrument')!r}, not {instrument.id!r}"
        )
    source = document.get("source")
    if not isinstance(source, str) or not source.strip():
        raise ClinicalInputError("source", "name the license the text comes from")
    items = require_mapping("items", document.get("items"), "items")
    _check_keys(instrument, items)
    known = {item.key: item for item in instrument.items}
    texts = {key: _item_text(f"items.{key}", known[key], items[key]) for key in known}
    return ItemTexts(instrument=instrument.id, source=source, items=texts)


def load_item_texts_file(path: str | Path) -> ItemTexts:
    """Read and validate a clinic-supplied item-text file for the instrument it names."""
    document = require_mapping("file", _parse(Path(path)), "The item-text file")
    instrument = document.get("instrument")
    if not isinstance(instrument, str) or not instrument:
        raise ClinicalInputError("instrument", "name the instrument the text is for (e.g. odi)")
    return load_item_texts(instrument, path)
