"""The progress page: measures over time against the MCID band, and the benefit scorecard."""

from __future__ import annotations

from typing import Any

from needlerx.accounts.models import User
from needlerx.patients.models import Episode


def progress_context(*, user: User, episode: Episode) -> dict[str, Any]:
    return {"patient": episode.patient, "episode": episode, "charts": [], "scorecard": None}
