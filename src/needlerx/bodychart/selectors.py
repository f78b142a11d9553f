"""Reads of trigger points, always through an episode the user may see clinically."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from needlerx.bodychart.models import TriggerPoint
from needlerx.core.prepared import prepared_read
from needlerx.patients.models import Episode


def trigger_points_for_episode(*, episode: Episode) -> QuerySet[TriggerPoint]:
    """Every trigger point recorded in the episode, newest first.

    The caller has already resolved ``episode`` with ``episode_get_for_user``.
    """
    return TriggerPoint.objects.filter(episode=episode).select_related("recorded_by")


def trigger_points_current(*, episode: Episode) -> dict[tuple[str, str], TriggerPoint]:
    """The latest finding per (muscle, side) in the episode."""
    return latest_per_site(_episode_points.all(episode_id=episode.pk))


# Prepared once (core.prepared): every visit of a draft note reads the episode's findings.
@prepared_read()
def _episode_points(episode_id: int) -> QuerySet[TriggerPoint]:
    return TriggerPoint.objects.filter(episode_id=episode_id).select_related("recorded_by")


def latest_per_site(points: Iterable[TriggerPoint]) -> dict[tuple[str, str], TriggerPoint]:
    """The first of ``points`` (newest first) for each (muscle, side)."""
    latest: dict[tuple[str, str], TriggerPoint] = {}
    for point in points:
        latest.setdefault((point.muscle, point.side), point)
    return latest
