"""The instrument library: every file loads, unknown fields fail loudly, no licensed text."""

from __future__ import annotations

import ast
import pathlib
from collections.abc import Callable
from typing import Any

import pytest
import yaml

from needlerx import clinical
from needlerx.clinical.errors import ClinicalInputError, ReferenceDataError
from needlerx.clinical.scoring import INSTRUMENT_IDS, instrument_library, library, loading

CLINICAL = pathlib.Path(clinical.__file__).resolve().parent


def test_every_vocabulary_instrument_is_in_the_library_in_order():
    assert [i.id for i in instrument_library()] == list(INSTRUMENT_IDS)
    assert len(INSTRUMENT_IDS) == 15
    assert INSTRUMENT_IDS[-1] == "stiffness"  # new ids go last: stored ids keep their order


@pytest.mark.parametrize(
    "instrument_id", ["ndi", "odi", "startback", "rmdq", "pcs", "fabq", "psfs"]
)
def test_no_questionnaire_text_under_licence_is_shipped(instrument_id):
    instrument = library.get_instrument(instrument_id)
    assert not instrument.licence.item_text_shipped
    assert all(item.text is None for item in instrument.items)
    assert all(item["text"] is None for item in instrument.to_dict()["items"])


def test_every_threshold_has_a_source_and_marks_are_kept():
    confidences = set()
    for instrument in instrument_library():
        measures = [instrument.score, *instrument.subscales, *instrument.additional_scores]
        for measure in filter(None, measures):
            for threshold in [*measure.mcids, *measure.mdcs]:
                assert threshold.source.citation
                confidences.add(threshold.source.confidence)
    assert confidences == {"confirmed", "secondary", "unconfirmed"}


def test_to_dict_is_json_ready():
    data = library.get_instrument("ndi").to_dict()
    assert data["loinc"]["code"] == "82226-2"
    assert data["score"]["default_mcid"] == "young_2009"
    assert data["items"][0] == {
        "key": "1",
        "label": "Pain intensity",
        "min": 0,
        "max": 5,
        "value_type": "integer",
        "scored": True,
        "positive_from": None,
        "anchors": None,
        "text": None,
        "loinc": "82227-0",
    }


def _load_with(monkeypatch: pytest.MonkeyPatch, name: str, mutate: Callable[[Any], object]) -> None:
    original = loading.parse_data_file

    def patched(file_name: str, data: bytes) -> Any:
        document = original(file_name, data)
        if file_name == name:
            mutate(document)
        return document

    monkeypatch.setattr(loading, "parse_data_file", patched)
    library.instruments.cache_clear()
    library.mme_table.cache_clear()
    library.adverse_event_rates.cache_clear()


@pytest.fixture(autouse=True)
def fresh_cache():
    yield
    library.instruments.cache_clear()
    library.mme_table.cache_clear()
    library.adverse_event_rates.cache_clear()


@pytest.mark.parametrize(
    ("name", "mutate", "loader", "expected"),
    [
        ("nprs.yaml", lambda d: d.update(colour="red"), library.instruments, "colour"),
        ("ndi.yaml", lambda d: d["score"]["mcids"][0].update(valu=3), library.instruments, "valu"),
        ("odi.yaml", lambda d: d["score"].update(default_mcid="nope"), library.instruments, "nope"),
        ("rmdq.yaml", lambda d: d["items"].reverse(), library.instruments, "published order"),
        ("odi.yaml", lambda d: d["items"][0].update(text="x"), library.instruments, "licence"),
        ("mme.yaml", lambda d: d["opioids"][0].update(factor=-1), library.mme_table, "factor"),
        (
            "nprs.yaml",
            lambda d: d["score"]["responder_rules"][0].update(all_of=["ostelo_2008", "nope"]),
            library.instruments,
            "responder rule",
        ),
        (
            "ppt.yaml",
            lambda d: d["score"]["mdcs"][0].update(baseline_bands=[{"baseline_from": 1}]),
            library.instruments,
            "baseline_bands",
        ),
        ("mme.yaml", lambda d: d["dose_cautions"].reverse(), library.mme_table, "ascending"),
        (
            "adverse_event_rates.yaml",
            lambda d: d["comparators"].update(mild="boyce_2020_major"),
            library.adverse_event_rates,
            "comparator",
        ),
    ],
)
def test_bad_data_fails_loudly(monkeypatch, name, mutate, loader, expected):
    _load_with(monkeypatch, name, mutate)
    with pytest.raises(ReferenceDataError) as raised:
        loader()
    assert expected in str(raised.value)
    assert name in str(raised.value)


def test_data_files_hold_no_python_tags():
    folder = CLINICAL / "data" / "instruments"
    for path in folder.glob("*.yaml"):
        yaml.safe_load(path.read_text(encoding="utf-8"))


def test_no_django_imports_in_the_clinical_scoring_core():
    paths = [
        *(CLINICAL / "scoring").rglob("*.py"),
        *(CLINICAL / name for name in ("outcome_summary.py", "outcome_definition.py")),
        CLINICAL / "safety_rate.py",
    ]
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            assert not any(n.split(".")[0] == "django" for n in names), path


def test_get_instrument_rejects_non_strings():
    with pytest.raises(ClinicalInputError):
        library.get_instrument(None)
