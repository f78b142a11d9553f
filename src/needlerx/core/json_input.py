"""The one reader of a command's JSON input, from a file or standard input.

Errors are ApplicationErrors naming ``input``: every command turns them into exit status 2 with
the message on stderr (``ServiceCommand`` does it for commands that call services).
"""

from __future__ import annotations

import json
import sys
from typing import Any

from needlerx.core.errors import ApplicationError


def read_json_input(path: str) -> Any:
    """The parsed JSON in ``path`` ("-" for stdin)."""
    if path == "-":
        text = sys.stdin.read()
    else:
        try:
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
        except OSError as error:
            message = f"cannot read {path!r} ({error.strerror})"
            raise ApplicationError(message, field="input") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ApplicationError(f"not valid JSON ({error})", field="input") from None
