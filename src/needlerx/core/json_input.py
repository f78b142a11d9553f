"""The one reader of a command's JSON input, from a file or standard input.

Errors are ApplicationErrors naming ``input``: every command turns them into exit status 2 with
the message on stderr (``ServiceCommand`` does it for commands that call services).
"""

from __future__ import annotations

from typing import Any

from needlerx.clinical.commands import read_json
from needlerx.core.errors import clinical_errors_as_application_errors


def read_json_input(path: str) -> Any:
    """The parsed JSON in ``path`` ("-" for stdin)."""
    with clinical_errors_as_application_errors():
        return read_json(path)
