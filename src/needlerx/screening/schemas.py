"""API shapes for screening. The screen's own JSON (issue 3's public contract) passes through."""

from __future__ import annotations

from typing import Any

from ninja import Schema
from pydantic import ConfigDict


class ScreenIn(Schema):
    """``POST /api/v1/screen``: the same JSON the CLI reads."""

    model_config = ConfigDict(extra="forbid")

    facts: dict[str, Any] = {}
    plan: list[dict[str, Any]] = []
    practitioner: dict[str, Any] | None = None
    as_of: str | None = None


class EpisodeScreenIn(Schema):
    """Screen a stored patient: the plan, and any facts known now but not yet recorded."""

    model_config = ConfigDict(extra="forbid")

    plan: list[dict[str, Any]] = []
    extra_facts: dict[str, Any] = {}
