"""requirements.lock pins every dependency in pyproject.toml (`make lock` after adding one)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = [*project["dependencies"], *project["optional-dependencies"]["dev"]]
    return {normalise(re.split(r"[\[<>=!~;\s]", item, maxsplit=1)[0]) for item in requirements}


def locked() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9_.\-]+)==([^\s#]+)", line)
        if match:
            pins[normalise(match.group(1))] = match.group(2)
    return pins


def test_every_dependency_is_pinned_in_the_lock_file():
    missing = sorted(declared() - set(locked()))
    assert missing == [], f"not in requirements.lock: {missing}; run `make lock` and commit it"


def test_the_lock_file_names_no_machine_paths_or_indexes():
    text = (ROOT / "requirements.lock").read_text()
    assert "file://" not in text and "--index-url" not in text and "--find-links" not in text
