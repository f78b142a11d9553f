"""`needlerx score` as an outside script would run it: a real process, JSON in and out."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest


def run_score(instrument: str, stdin: str, source: str = "-") -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "needlerx.cli", "score", instrument, "--input", source]
    env = {
        **os.environ,
        "NEEDLERX_DATA_DIR": tempfile.mkdtemp(prefix="needlerx-cli-"),
        "DJANGO_SETTINGS_MODULE": "needlerx.settings",
    }
    return subprocess.run(  # noqa: S603 - our own command
        command, input=stdin, capture_output=True, text=True, check=False, env=env
    )


def test_startback_prints_score_subscale_and_risk():
    # items 1-8: 1,1,0,0,1,1,1,1 and item 9 "very much" (3 -> positive): total 7, subscale 5
    answers = {"1": 1, "2": 1, "3": 0, "4": 0, "5": 1, "6": 1, "7": 1, "8": 1, "9": 3}
    done = run_score("startback", json.dumps({"responses": answers}))
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert (result["instrument"], result["score"], result["category"]) == ("startback", 7, "high")
    assert result["subscales"]["psychosocial"]["score"] == 5
    assert result["unit"] and result["range"] == [0, 9] and result["items_answered"] == 9


def test_a_file_is_read_too(tmp_path: Path):
    source = tmp_path / "ndi.json"
    source.write_text(json.dumps({"responses": {str(n): 2 for n in range(1, 10)}}))
    done = run_score("ndi", "", str(source))
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert (result["score"], result["unit"], result["items_answered"]) == (40.0, "%", 9)


@pytest.mark.parametrize(
    ("instrument", "stdin", "named"),
    [
        ("nprs", json.dumps({"responses": {"1": 11}}), "responses.1"),
        ("ndi", json.dumps({"responses": {"1": 2, "2": 2}}), "at least 9"),
        ("nprs", json.dumps({"responses": {"12": 1}}), "responses.12"),
        ("nprs", json.dumps({"responses": {"1": "seven"}}), "responses.1"),
        ("nprs", "{not json", "JSON"),
        ("telepathy", json.dumps({"responses": {"1": 1}}), "unknown instrument"),
        ("nprs", json.dumps({"answers": {"1": 1}}), "answers"),
    ],
)
def test_invalid_input_exits_2_naming_the_problem(instrument, stdin, named):
    done = run_score(instrument, stdin)
    assert done.returncode == 2
    assert named in done.stderr
    assert done.stdout == ""


def test_a_missing_file_is_named(tmp_path: Path):
    done = run_score("nprs", "", str(tmp_path / "absent.json"))
    assert done.returncode == 2
    assert "absent.json" in done.stderr
