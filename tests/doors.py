"""Send the same input through the API and the CLI: one input model, one refusal.

``api_refusal`` posts a body and returns the 400's field and message; ``run_cli`` runs a
``needlerx`` command as the shell does (Django's ``run_from_argv``: the message on stderr, the
exit status) inside the test's database.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import get_commands, load_command_class
from django.db import connections
from django.test import Client


def api_refusal(client: Client, method: str, path: str, body: Any) -> tuple[str, str]:
    """The field and message of the API's 400 for ``body``."""
    response = client.generic(method, path, json.dumps(body), content_type="application/json")
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    return error["field"], error["message"]


def run_cli(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *argv: str, stdin: str = ""
) -> tuple[int, str, str]:
    """``needlerx <argv>``: exit status, stdout and stderr."""
    # run_from_argv closes the connections at the end; that would end the test's transaction.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    monkeypatch.setattr(sys, "argv", ["needlerx", *argv])
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    capsys.readouterr()
    command = load_command_class(get_commands()[argv[0]], argv[0])
    try:
        command.run_from_argv(["needlerx", *argv])
        status = 0
    except SystemExit as stop:
        status = int(stop.code or 0)
    out, err = capsys.readouterr()
    return status, out, err


def cli_refusal(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *argv: str, stdin: str = ""
) -> str:
    """stderr of a command that must exit with status 2 and print nothing on stdout."""
    status, out, err = run_cli(monkeypatch, capsys, *argv, stdin=stdin)
    assert status == 2, (out, err)
    assert out == ""
    return err


def assert_same_refusal(api: tuple[str, str], cli_stderr: str, field: str) -> None:
    """The API named ``field``; the CLI printed the same field and message on stderr."""
    assert api[0] == field, api
    assert f"CommandError: {field}: {api[1]}" in cli_stderr, (api, cli_stderr)


def json_file(tmp_path: Path, body: Any, name: str = "input.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(body), encoding="utf-8")
    return str(path)
