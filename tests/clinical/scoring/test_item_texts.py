"""Loading a clinic's licensed item text."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from needlerx.clinical.errors import ClinicalInputError
from needlerx.clinical.scoring import load_item_texts


def odi_file(tmp_path: Path, items: dict[str, Any], suffix: str = ".yaml", **extra: Any) -> Path:
    document = {
        "instrument": "odi",
        "source": "Licensed from Mapi, agreement 42",
        "items": items,
        **extra,
    }
    path = tmp_path / f"odi{suffix}"
    path.write_text(json.dumps(document))  # JSON is valid YAML too
    return path


def all_sections() -> dict[str, Any]:
    return {str(n): f"Clinic section {n}" for n in range(1, 11)}


def test_loads_yaml_and_json_with_options(tmp_path):
    items = all_sections()
    items["1"] = {"text": "Clinic section 1", "options": {"0": "zero", "5": "five"}}
    for suffix in (".yaml", ".json"):
        texts = load_item_texts("odi", odi_file(tmp_path, items, suffix))
        assert texts.items["1"].options == {0: "zero", 5: "five"}
        assert texts.items["10"].text == "Clinic section 10"
        assert texts.to_dict()["items"]["1"]["options"] == {"0": "zero", "5": "five"}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda items: items.update({"11": "extra"}), "items.11"),
        (lambda items: items.pop("4"), "items"),
        (
            lambda items: items.update({"2": {"text": "t", "options": {"6": "six"}}}),
            "items.2.options.6",
        ),
        (lambda items: items.update({"2": {"text": ""}}), "items.2.text"),
        (lambda items: items.update({"2": {"text": "t", "colour": "red"}}), "items.2.colour"),
        (lambda items: items.update({"2": 5}), "items.2"),
    ],
)
def test_bad_item_files_are_refused(tmp_path, change, field):
    items = all_sections()
    change(items)
    with pytest.raises(ClinicalInputError) as raised:
        load_item_texts("odi", odi_file(tmp_path, items))
    assert raised.value.field == field


def test_wrong_instrument_missing_source_and_bad_syntax(tmp_path):
    with pytest.raises(ClinicalInputError) as raised:
        load_item_texts("ndi", odi_file(tmp_path, all_sections()))
    assert raised.value.field == "instrument"
    with pytest.raises(ClinicalInputError) as raised:
        load_item_texts("odi", odi_file(tmp_path, all_sections(), source=""))
    assert raised.value.field == "source"
    broken = tmp_path / "broken.yaml"
    broken.write_text("items: [unclosed")
    with pytest.raises(ClinicalInputError) as raised:
        load_item_texts("odi", broken)
    assert raised.value.field == "file"
