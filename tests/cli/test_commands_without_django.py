"""``needlerx screen`` and ``needlerx score`` run on the clinical core alone (no Django set-up)
and answer exactly what the Django commands answer."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from needlerx.cli import run_without_django

SCREEN = {
    "facts": {"cauda_equina_signs": True},
    "plan": [{"muscle": "upper_trapezius", "side": "left", "technique": "static"}],
}


def test_the_fast_path_never_imports_django(tmp_path):
    request = tmp_path / "nprs.json"
    request.write_text(json.dumps({"responses": {"1": 5}}))
    probe = (
        "import sys\n"
        "from needlerx.cli import run_without_django\n"
        f"status = run_without_django(['score', 'nprs', '--input', {str(request)!r}])\n"
        "assert status == 0, status\n"
        "assert not [m for m in sys.modules if m.split('.')[0] == 'django'], 'django imported'\n"
    )
    done = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", probe], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["score"] == 5


@pytest.mark.parametrize(
    ("argv", "body"),
    [
        (["screen"], SCREEN),
        (["score", "nprs"], {"responses": {"1": 7}}),
        (["score", "ndi"], {"responses": {str(n): 2 for n in range(1, 11)}}),
    ],
)
def test_the_fast_path_answers_what_the_django_command_answers(argv, body, tmp_path, capsys):
    request = tmp_path / "request.json"
    request.write_text(json.dumps(body))
    assert run_without_django([*argv, "--input", str(request)]) == 0
    fast = capsys.readouterr().out
    out = io.StringIO()
    call_command(*argv, "--input", str(request), stdout=out)
    assert json.loads(fast) == json.loads(out.getvalue())


@pytest.mark.parametrize(
    ("argv", "body", "named"),
    [
        (["score", "telepathy"], {"responses": {}}, "instrument"),
        (["score", "nprs"], {"responses": {"1": 11}}, "responses.1"),
        (["screen"], {"facts": {"age": "old"}, "plan": SCREEN["plan"]}, "facts.age"),
    ],
)
def test_bad_input_is_refused_alike_with_exit_2(argv, body, named, tmp_path, capsys):
    request = tmp_path / "request.json"
    request.write_text(json.dumps(body))
    assert run_without_django([*argv, "--input", str(request)]) == 2
    fast = capsys.readouterr()
    assert fast.out == "" and named in fast.err
    with pytest.raises(CommandError) as refused:
        call_command(*argv, "--input", str(request))
    assert fast.err == f"CommandError: {refused.value}\n"
    assert refused.value.returncode == 2


@pytest.mark.parametrize(
    "argv",
    [["screen", "--help"], ["score", "--input", "x.json"], ["screen"], ["demo"], []],
)
def test_anything_else_goes_through_django(argv):
    assert run_without_django(argv) is None
