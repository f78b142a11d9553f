"""`needlerx screen` as an outside script would run it: a real process, JSON in and out."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile

import pytest

PLAN = [{"muscle": "upper_trapezius", "side": "left", "technique": "static"}]


def run_screen(stdin: str, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "needlerx.cli", "screen", "--input", *(args or ("-",))]
    env = {
        **os.environ,
        "NEEDLERX_DATA_DIR": tempfile.mkdtemp(prefix="needlerx-cli-"),
        "DJANGO_SETTINGS_MODULE": "needlerx.settings",
    }
    return subprocess.run(  # noqa: S603 - our own command
        command, input=stdin, capture_output=True, text=True, check=False, env=env
    )


def test_valid_input_prints_the_decision_as_json_and_exits_0():
    done = run_screen(json.dumps({"facts": {"cauda_equina_signs": True}, "plan": PLAN}))
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["decision"] == "refer"
    assert result["urgency"] == "emergency"


@pytest.mark.parametrize(
    ("stdin", "named"),
    [
        ("{not json", "JSON"),
        (json.dumps({"facts": {"telepathy": True}, "plan": PLAN}), "telepathy"),
        (
            json.dumps(
                {"facts": {}, "plan": [{"muscle": "nope", "side": "left", "technique": "static"}]}
            ),
            "plan[0].muscle",
        ),
        (json.dumps({"facts": {"age": "old"}, "plan": PLAN}), "facts.age"),
    ],
)
def test_invalid_input_exits_2_naming_the_problem(stdin, named):
    done = run_screen(stdin)
    assert done.returncode == 2
    assert named in done.stderr
    assert done.stdout == ""


def test_a_missing_file_is_named(tmp_path):
    done = run_screen("", str(tmp_path / "absent.json"))
    assert done.returncode == 2
    assert "absent.json" in done.stderr
