"""The command line's cache of validated reference files: what it gives back is what validating
the same file with the same code gives, and anything else is validated afresh."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import BaseModel, ConfigDict

from needlerx.clinical import validated_cache
from needlerx.clinical.errors import ReferenceDataError
from needlerx.clinical.reference.loader import load_model
from needlerx.clinical.validated_cache import code_fingerprint, keep_validated_files_in, validated


class Dose(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    muscle: str
    needles: int


class Counted:
    """``Dose`` validated from JSON bytes, counting the times it was asked."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, data: bytes) -> Dose:
        self.calls += 1
        return Dose.model_validate_json(data)


@pytest.fixture
def cache_dir(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "cache"
    keep_validated_files_in(folder)
    yield folder
    keep_validated_files_in(None)


def entries(folder: Path) -> list[Path]:
    return sorted(folder.rglob(f"*{validated_cache.ENTRY_SUFFIX}"))


TRAPEZIUS = b'{"muscle": "upper_trapezius", "needles": 2}'


def test_a_file_validated_once_is_read_back_without_validating(cache_dir):
    validate = Counted()
    first = validated(Dose, TRAPEZIUS, validate)
    again = validated(Dose, TRAPEZIUS, validate)
    assert validate.calls == 1
    assert again == first == Dose(muscle="upper_trapezius", needles=2)
    assert len(entries(cache_dir)) == 1


def test_a_changed_file_is_validated_afresh(cache_dir):
    validate = Counted()
    validated(Dose, TRAPEZIUS, validate)
    changed = validated(Dose, b'{"muscle": "upper_trapezius", "needles": 3}', validate)
    assert validate.calls == 2
    assert changed.needles == 3


def test_changed_code_is_validated_afresh_and_the_old_entries_go(cache_dir, monkeypatch):
    validate = Counted()
    validated(Dose, TRAPEZIUS, validate)
    [old] = entries(cache_dir)
    monkeypatch.setattr(validated_cache, "_fingerprint", lambda: "another-version")
    validated(Dose, TRAPEZIUS, validate)
    assert validate.calls == 2
    assert not old.exists()
    assert [entry.parent.name for entry in entries(cache_dir)] == ["another-version"]


def test_an_invalid_file_is_refused_every_time_and_never_kept(cache_dir):
    validate = Counted()
    for _ in range(2):
        with pytest.raises(ValueError, match="needles"):
            validated(Dose, b'{"muscle": "upper_trapezius", "needles": "two"}', validate)
    assert validate.calls == 2
    assert entries(cache_dir) == []


def test_a_damaged_entry_is_validated_afresh_and_rewritten(cache_dir):
    validate = Counted()
    validated(Dose, TRAPEZIUS, validate)
    [entry] = entries(cache_dir)
    entry.write_bytes(b"not a pickle")
    assert validated(Dose, TRAPEZIUS, validate).needles == 2
    assert validate.calls == 2
    assert validated(Dose, TRAPEZIUS, validate).needles == 2
    assert validate.calls == 2


def test_a_folder_others_may_write_to_is_not_used(tmp_path):
    cache = tmp_path / "cache"
    keep_validated_files_in(cache)
    try:
        validated(Dose, TRAPEZIUS, Counted())
        (cache / "validated-reference").chmod(0o777)
        validate = Counted()
        validated(Dose, TRAPEZIUS, validate)
    finally:
        keep_validated_files_in(None)
    assert validate.calls == 1


def test_without_a_cache_directory_every_load_validates():
    keep_validated_files_in(None)
    validate = Counted()
    validated(Dose, TRAPEZIUS, validate)
    validated(Dose, TRAPEZIUS, validate)
    assert validate.calls == 2


def test_the_code_fingerprint_follows_every_source_file_of_the_core(tmp_path):
    core = tmp_path / "clinical"
    (core / "reference").mkdir(parents=True)
    (core / "reference" / "schemas.py").write_text("class Muscle: ...\n")
    (core / "evidence.py").write_text("class Source: ...\n")
    before = code_fingerprint(core)
    assert code_fingerprint(core) == before
    (core / "reference" / "schemas.py").write_text("class Muscle:\n    depth_mm: int\n")
    assert code_fingerprint(core) != before


def test_a_reference_file_edited_between_runs_loads_as_edited(cache_dir, tmp_path):
    path = tmp_path / "dose.yaml"
    path.write_text("muscle: upper_trapezius\nneedles: 2\n")
    assert load_model(Dose, path).needles == 2
    path.write_text("muscle: upper_trapezius\nneedles: 4\n")
    assert load_model(Dose, path).needles == 4
    path.write_text("muscle: upper_trapezius\nneedles: many\n")
    with pytest.raises(ReferenceDataError, match=r"dose.yaml: needles"):
        load_model(Dose, path)


SCREENS = {
    "red flag": {
        "facts": {"cauda_equina_signs": True},
        "plan": [{"muscle": "upper_trapezius", "side": "left", "technique": "static"}],
    },
    "incomplete": {
        "facts": {"cauda_equina_signs": False},
        "plan": [{"muscle": "lumbar_multifidus", "side": "right", "technique": "pistoning"}],
    },
}
SCORES = {
    "nprs": {"responses": {"1": 7}},
    "ndi": {"responses": {str(n): 2 for n in range(1, 11)}},
}


def _run(arguments: list[str], cache: str) -> str:
    done = subprocess.run(  # noqa: S603 - our own command
        [sys.executable, "-m", "needlerx.cli", *arguments],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "NEEDLERX_CACHE_DIR": cache},
    )
    return done.stdout


def test_the_command_line_answers_alike_from_its_cache(tmp_path):
    """Each request answered with the cache empty (validating and keeping every file), from the
    cache, and with no cache at all: the three answers are the same."""
    cache = tmp_path / "cache"
    commands = []
    for name, body in [*SCREENS.items(), *SCORES.items()]:
        request = tmp_path / f"{name}.json"
        request.write_text(json.dumps(body))
        command = ["score", name] if name in SCORES else ["screen"]
        commands.append([*command, "--input", str(request)])
    answers = []
    for cache_state in ("empty", "filled", "none"):
        if cache_state == "empty":
            shutil.rmtree(cache, ignore_errors=True)
        answers.append(
            [_run(command, "" if cache_state == "none" else str(cache)) for command in commands]
        )
        if cache_state == "empty":
            assert entries(cache), "the first run kept the files it validated"
    assert answers[0] == answers[1] == answers[2]
    assert '"decision": "refer"' in answers[0][0]
