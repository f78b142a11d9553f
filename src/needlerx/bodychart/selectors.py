"""Reads of trigger points, always through an episode the user may see clinically."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from needlerx.bodychart.models import TriggerPoint
from needlerx.patients.models import Episode, Patient


def trigger_points_for_episode(*, episode: Episode) -> QuerySet[TriggerPoint]:
    """Every trigger point recorded in the episode, newest first.

    The caller has already resolved ``episode`` with ``episode_get_for_user``.
    """
    return TriggerPoint.objects.filter(episode=episode).select_related("recorded_by")


def trigger_points_for_patient(*, patient: Patient) -> QuerySet[TriggerPoint]:
    return TriggerPoint.objects.filter(patient=patient).select_related("recorded_by", "episode")


def trigger_points_current(*, episode: Episode) -> dict[tuple[str, str], TriggerPoint]:
    """The latest finding per (muscle, side) in the episode."""
    return latest_per_site(trigger_points_for_episode(episode=episode))


def latest_per_site(points: Iterable[TriggerPoint]) -> dict[tuple[str, str], TriggerPoint]:
    """The first of ``points`` (newest first) for each (muscle, side)."""
    latest: dict[tuple[str, str], TriggerPoint] = {}
    for point in points:
        latest.setdefault((point.muscle, point.side), point)
    return latest
