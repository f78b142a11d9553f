"""Clinical data cites primary sources, never research notes or files outside the repository.

Every YAML file under ``needlerx/clinical/data`` is read as text (comments included): a citation
such as "reference/outcome-measures.md §4" or a research remark such as "not read" or "no
published source read" fails. Where nothing was published the data says so plainly and marks the
figure ``confidence: unconfirmed`` (the clinician page asks for clinical sign-off).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from needlerx.clinical.reference.loader import DATA_DIR

# Phrases that point at the research notes or read as a research remark, not a source.
FORBIDDEN = (
    "reference/",
    "dn-safety",
    "outcome-measures.md",
    "VOCABULARY.md",
    "not read",
    "not looked up",
    "was looked up",
    "no published source read",
    "sources read",
    "source read",
    "not captured",
    "from memory",
)


def _pattern(phrase: str) -> str:
    """The phrase as a whole-word pattern ("not read" does not match "not ready")."""
    start = r"\b" if phrase[0].isalnum() else ""
    end = r"\b" if phrase[-1].isalnum() else ""
    return f"{start}{re.escape(phrase)}{end}"


_FORBIDDEN = re.compile("|".join(_pattern(phrase) for phrase in FORBIDDEN), re.IGNORECASE)
# A web address may contain "reference/" (for example a coding vendor's /reference/cpt/ page).
_URL = re.compile(r"https?://\S+")


def data_files() -> list[Path]:
    return sorted(DATA_DIR.rglob("*.yaml"))


def offending_lines(text: str) -> list[str]:
    """The lines of ``text`` that cite the research notes or carry a research remark."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        if _FORBIDDEN.search(_URL.sub("", line)):
            found.append(f"{number}: {line.strip()}")
    return found


def _name(path: Path) -> str:
    return path.relative_to(DATA_DIR).as_posix()


@pytest.mark.parametrize("path", data_files(), ids=_name)
def test_data_file_cites_no_research_note(path: Path) -> None:
    assert offending_lines(path.read_text(encoding="utf-8")) == []


def test_fact_descriptions_name_no_fact_by_its_identifier() -> None:
    """A fact's description is the help text under its question on the evaluation: it names
    other facts in words ("the height and weight"), never by their identifiers ("height_cm")."""
    from needlerx.clinical.reference import fact_catalogue

    catalogue = fact_catalogue()
    identifiers = {fact_id for fact_id in catalogue if "_" in fact_id}
    for fact in catalogue.values():
        words = set(re.findall(r"[a-z0-9_]+", fact.description))
        named = words & identifiers
        assert not named, f"{fact.id}: {sorted(named)}"
