"""patient_header.yaml names yes/no facts of facts.yaml, each once; anything else stops the
product at start-up (``needlerx check``) with the file and entry named."""

from __future__ import annotations

from pathlib import Path

import pytest

from needlerx.clinical import patient_header
from needlerx.clinical.errors import ReferenceDataError
from needlerx.clinical.reference.loader import DATA_DIR

SHIPPED = (DATA_DIR / "patient_header.yaml").read_text()


def _load_with(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    (tmp_path / "patient_header.yaml").write_text(text)
    monkeypatch.setattr(patient_header, "DATA_DIR", tmp_path)
    patient_header.patient_header_reference.cache_clear()
    try:
        patient_header.patient_header_reference()
    finally:
        patient_header.patient_header_reference.cache_clear()


def test_the_shipped_file_names_the_three_risks():
    facts = [alert.fact for alert in patient_header.patient_header_reference().alerts]
    assert facts == ["anticoagulant_therapy", "implanted_electrical_device", "pregnant"]


@pytest.mark.parametrize(
    ("fact", "problem"),
    [("anticoagulant", "not a yes/no fact"), ("pregnancy_trimester", "not a yes/no fact")],
)
def test_a_fact_that_is_not_a_yes_no_fact_is_refused(tmp_path, monkeypatch, fact, problem):
    text = SHIPPED.replace("fact: pregnant", f"fact: {fact}")
    with pytest.raises(ReferenceDataError, match=problem):
        _load_with(tmp_path, monkeypatch, text)


def test_a_fact_listed_twice_is_refused(tmp_path, monkeypatch):
    text = SHIPPED.replace("fact: pregnant", "fact: anticoagulant_therapy")
    with pytest.raises(ReferenceDataError, match="duplicate"):
        _load_with(tmp_path, monkeypatch, text)
