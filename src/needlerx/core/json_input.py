"""Reading a command's JSON input from a file or standard input, with errors that exit 2."""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import CommandError


def read_json_input(path: str) -> Any:
    """The parsed JSON in ``path`` ("-" for stdin); a CommandError (exit 2) naming the problem."""
    if path == "-":
        text = sys.stdin.read()
    else:
        try:
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
        except OSError as error:
            message = f"input: cannot read {path!r} ({error.strerror})"
            raise CommandError(message, returncode=2) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise CommandError(f"input: not valid JSON ({error})", returncode=2) from None
