"""The self-check answers carried to the consultation form: signed and short-lived, in a hidden
form field (never in a URL), so nothing is stored until the person sends a request."""

from __future__ import annotations

from typing import Any

from django.core import signing

SALT = "needlerx.consultations.self-check-answers"
MAX_AGE_SECONDS = 2 * 60 * 60


def answers_token(answers: dict[str, bool], pain_area: str) -> str:
    return signing.dumps({"answers": answers, "pain_area": pain_area}, salt=SALT, compress=True)


def answers_from_token(token: str) -> tuple[dict[str, bool], str] | None:
    """The answers and pain area, or None if the token is missing, forged or expired."""
    if not token:
        return None
    try:
        payload: Any = signing.loads(token, salt=SALT, max_age=MAX_AGE_SECONDS)
    except signing.BadSignature:
        return None
    answers, area = payload.get("answers"), payload.get("pain_area", "")
    if not isinstance(answers, dict) or not all(isinstance(v, bool) for v in answers.values()):
        return None
    return {str(k): v for k, v in answers.items()}, str(area)
