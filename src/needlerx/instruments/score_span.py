"""An episode's first and latest main score of one instrument, folded from its scores: the pure
rule shared by the services (after each write), the demo's bulk load and the backfill migration.

The order is the dashboard's: by time taken, then by the order the scores were stored (their
ids), so of two scores taken at the same moment the one stored first is the earlier.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ScoreSpan:
    """The first and latest of an (episode, instrument)'s main scores, and how many there are.

    ``first_taken_at`` and ``latest_taken_at`` are whatever the caller gave: aware datetimes, or
    the values already prepared for the database (the demo's bulk load)."""

    first_score: float
    first_taken_at: Any
    latest_score: float
    latest_taken_at: Any
    scores: int

    def columns(self) -> dict[str, Any]:
        """The stored row's columns (``instruments.models.FirstAndLatestScore``)."""
        return {
            "first_score": self.first_score,
            "first_taken_at": self.first_taken_at,
            "latest_score": self.latest_score,
            "latest_taken_at": self.latest_taken_at,
            "scores": self.scores,
        }


def score_span(scores: Iterable[tuple[float, Any]]) -> ScoreSpan | None:
    """(score, taken_at) pairs of one episode and instrument, in the order they were stored (or
    ordered by taken_at then id): their span, or None when there are none. A tie on taken_at goes
    to the pair given first, for the first score, and to the pair given last, for the latest."""
    first: tuple[float, Any] | None = None
    latest: tuple[float, Any] | None = None
    count = 0
    for score, taken_at in scores:
        count += 1
        if first is None or taken_at < first[1]:
            first = (score, taken_at)
        if latest is None or taken_at >= latest[1]:
            latest = (score, taken_at)
    if first is None or latest is None:
        return None
    return ScoreSpan(first[0], first[1], latest[0], latest[1], count)
