"""One spelling convention in what people read: US English (the clinics served are in the US).

Scans the page templates (text and visible attributes, not template code), the display text of
the clinical YAML (messages, titles, labels, descriptions, notes, summaries, instructions) and
the docs (prose, not code). Identifiers stay as they are (``licence_number``, ``tumour_sites``,
``home_exercise_programme`` are ids), as do citations of published titles.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

import needlerx

SOURCE = Path(needlerx.__file__).parent
ROOT = SOURCE.parent.parent

BRITISH = re.compile(
    r"(?<![\w./#`-])("
    r"programmes?|judgements?|licences?|organis(e|ed|es|ing|ation|ations)|colours?|centres?|"
    r"behaviours?|enrolment|oedema|tumours?|haematomas?|haemorrhag\w*|anaesthe\w*|dyspnoea|"
    r"orthopaedic|paediatric|catalogues?|labelled|normalised|summarised|recognised|whilst|"
    r"[a-z]*oedema(tous)?|haemophilia|minimis(e|ed|es|ing)"
    r")(?![\w/-])",
    re.IGNORECASE,
)
DISPLAY_KEYS = {
    "message",
    "title",
    "label",
    "description",
    "note",
    "summary",
    "instructions",
    "phrase",
}
TEMPLATE_CODE = re.compile(r"{{.*?}}|{%.*?%}|{#.*?#}", re.S)
TAG = re.compile(r"<[^>]*>")
VISIBLE_ATTRIBUTE = re.compile(r'(?:aria-label|title|placeholder|alt)="([^"]*)"')
MARKDOWN_CODE = re.compile(r"```.*?```|`[^`\n]*`|\]\([^)]*\)|https?://\S+", re.S)


def _template_text(html: str) -> str:
    html = TEMPLATE_CODE.sub(" ", html)
    attributes = " ".join(VISIBLE_ATTRIBUTE.findall(html))
    return TAG.sub(" ", html) + " " + attributes


def _display_strings(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in DISPLAY_KEYS and isinstance(value, str):
                yield value
            else:
                yield from _display_strings(value)
    elif isinstance(node, list):
        for item in node:
            yield from _display_strings(item)


def _british(text: str) -> list[str]:
    return sorted({match.group(0) for match in BRITISH.finditer(text)})


TEMPLATES = sorted(SOURCE.rglob("templates/**/*.html"))
CLINICAL_YAML = sorted((SOURCE / "clinical" / "data").rglob("*.yaml"))
DOCS = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *sorted((ROOT / "docs").glob("*.md"))]


def test_the_scan_finds_what_it_looks_for() -> None:
    assert _british(_template_text('<p title="Colour">The home programme</p>')) == [
        "Colour",
        "programme",
    ]
    assert _british(_template_text("{{ signer.credential.licence_number }}")) == []
    assert _british("`home_exercise_programme` and tumour_sites") == []
    assert TEMPLATES and CLINICAL_YAML


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda path: path.name)
def test_page_templates_use_us_spelling(path: Path) -> None:
    assert _british(_template_text(path.read_text())) == []


@pytest.mark.parametrize("path", CLINICAL_YAML, ids=lambda path: path.name)
def test_clinical_text_shown_to_people_uses_us_spelling(path: Path) -> None:
    shown = " ".join(_display_strings(yaml.safe_load(path.read_text())))
    assert _british(shown) == []


@pytest.mark.parametrize("path", [doc for doc in DOCS if doc.exists()], ids=lambda path: path.name)
def test_docs_use_us_spelling(path: Path) -> None:
    assert _british(MARKDOWN_CODE.sub(" ", path.read_text())) == []
