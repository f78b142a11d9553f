"""The work of ``needlerx screen`` and ``needlerx score``: JSON in, JSON out, no framework.

Both the Django management commands and the command line's fast path (``needlerx.cli``) call
these, so a script gets the same answer either way without paying for Django's start-up.
Invalid input raises :class:`~needlerx.clinical.errors.ClinicalInputError` naming the field.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from needlerx.clinical.errors import ClinicalInputError


def read_json(path: str) -> Any:
    """The parsed JSON in ``path`` ("-" for standard input); errors name ``input``."""
    if path == "-":
        text = sys.stdin.read()
    else:
        try:
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
        except OSError as error:
            raise ClinicalInputError("input", f"cannot read {path!r} ({error.strerror})") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ClinicalInputError("input", f"not valid JSON ({error})") from None


def screen_json(path: str) -> str:
    """The screen's decision and findings for the request in ``path``, as indented JSON."""
    from needlerx.clinical.screening import screen_request

    return json.dumps(screen_request(read_json(path)).to_dict(), indent=2)


def score_json(instrument: str, path: str) -> str:
    """The score of the answers in ``path`` for ``instrument``, as indented JSON."""
    from needlerx.clinical.scoring import score_request

    return json.dumps(score_request(instrument, read_json(path)).to_dict(), indent=2)
