"""Helpers for the screening pages: the safety preview and reading a chosen plan."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from needlerx.accounts.models import User
from needlerx.clinical.reference import TECHNIQUES, muscle_catalogue
from needlerx.core.errors import ApplicationError
from needlerx.patients.models import Episode
from needlerx.screening.selectors import screening_preview
from needlerx.treatments.words import technique_words


def technique_choices() -> list[tuple[str, str]]:
    return [(technique, technique_words(technique)) for technique in TECHNIQUES]


def clean_technique(value: str | None) -> str:
    if value in (None, ""):
        return "static"
    if value not in TECHNIQUES:
        raise ApplicationError(
            f"must be one of {', '.join(TECHNIQUES)} (got {value!r})", field="technique"
        )
    return value


def excluded_keys(preview_muscles: Iterable[Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    return {f"{m['muscle']}:{m['side']}": m for m in preview_muscles if not m["allowed"]}


def parse_plan(
    values: Iterable[str],
    *,
    technique: str,
    excluded: Mapping[str, Mapping[str, Any]],
    blocks_all: bool = False,
) -> list[dict[str, str]]:
    """``muscle:side`` values from the chart into a screening plan, each with ``technique``;
    refuses excluded muscles. A value may name its own technique (``muscle:side:technique``), as
    a draft's "run the re-check again" sends a plan whose muscles were carried forward with
    techniques of their own.

    An empty plan is accepted only when the screen already blocks every muscle, so that decision
    can still be saved to the record (with the whole plan the chart showed).
    """
    catalogue = muscle_catalogue()
    plan: list[dict[str, str]] = []
    for value in dict.fromkeys(values):
        muscle, _, rest = value.partition(":")
        side, _, own_technique = rest.partition(":")
        if muscle not in catalogue or side not in ("left", "right"):
            raise ApplicationError(f"unknown muscle and side {value!r}", field="plan")
        key = f"{muscle}:{side}"
        if key in excluded:
            titles = "; ".join(f["title"] for f in excluded[key]["findings"]) or "the screen"
            raise ApplicationError(
                f"{catalogue[muscle].name} ({side}) is excluded ({titles}) and cannot be chosen",
                field="plan",
            )
        entry_technique = clean_technique(own_technique) if own_technique else technique
        plan.append({"muscle": muscle, "side": side, "technique": entry_technique})
    if not plan and not blocks_all:
        raise ApplicationError("choose at least one muscle on the body chart", field="plan")
    return plan


def blocked_reasons(result: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The distinct findings that exclude the muscles of a screen that blocks every muscle."""
    seen: dict[str, Mapping[str, Any]] = {}
    for entry in result["muscles"]:
        for finding in entry["findings"]:
            if finding["severity"] in ("absolute", "site_exclusion"):
                seen.setdefault(finding["rule_id"], finding)
    return list(seen.values())


def safety_preview(*, user: User, episode: Episode, technique: str) -> list[Any]:
    """The screen over every catalogue muscle and side (nothing stored), to mark the chart's
    exclusions."""
    return list(
        screening_preview(user=user, episode=episode, technique=technique).result["muscles"]
    )
