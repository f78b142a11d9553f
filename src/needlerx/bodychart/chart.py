"""What the body chart shows: each region's state, for the figures and the list alternative."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from needlerx.bodychart.figure import NECK_DETAIL_VIEWBOX, VIEWS, Region, outline_path, regions
from needlerx.bodychart.models import TriggerPoint
from needlerx.clinical.reference import REGIONS, grouped_muscles, muscle_catalogue

Key = tuple[str, str]  # (muscle id, side)
REGION_TITLES = {
    "cervical": "Neck (cervical)",
    "thoracic": "Upper and mid back (thoracic)",
    "shoulder": "Shoulder",
    "lumbar": "Low back (lumbar)",
    "gluteal": "Buttock (gluteal)",
}


@dataclass(frozen=True)
class MuscleState:
    """One muscle on one side: what the chart marks and why."""

    muscle: str
    side: str
    name: str
    trigger_point: TriggerPoint | None = None
    chosen: bool = False
    exclusions: tuple[Mapping[str, Any], ...] = ()
    cautions: tuple[Mapping[str, Any], ...] = ()

    @cached_property
    def key(self) -> str:
        return f"{self.muscle}:{self.side}"

    @cached_property
    def excluded(self) -> bool:
        return bool(self.exclusions)

    @cached_property
    def css(self) -> str:
        classes = ["region"]
        if self.trigger_point is not None:
            classes += ["has-tp", f"tp-{self.trigger_point.status}"]
        if self.excluded:
            classes.append("excluded")
        elif self.chosen:
            classes.append("chosen")
        if self.cautions and not self.excluded:
            classes.append("caution")
        return " ".join(classes)

    @cached_property
    def label(self) -> str:
        parts = [f"{self.name}, {self.side}"]
        if self.trigger_point is not None:
            parts.append(f"{self.trigger_point.status} trigger point")
        if self.excluded:
            parts.append(
                "excluded by the screen: " + "; ".join(f["title"] for f in self.exclusions)
            )
        elif self.chosen:
            parts.append("chosen")
        return ", ".join(parts)


@dataclass(frozen=True)
class DrawnRegion:
    region: Region
    state: MuscleState


@dataclass
class BodyChart:
    """Everything the body chart template needs. ``mode`` is ``examine`` or ``choose``."""

    mode: str
    states: dict[Key, MuscleState]
    figures: list[dict[str, Any]] = field(default_factory=list)
    groups: list[dict[str, Any]] = field(default_factory=list)
    outline: str = ""
    neck_viewbox: str = NECK_DETAIL_VIEWBOX

    def state(self, muscle: str, side: str) -> MuscleState:
        return self.states[(muscle, side)]


def _findings_by_key(
    screen_muscles: Sequence[Mapping[str, Any]],
) -> tuple[dict[Key, list[Mapping[str, Any]]], dict[Key, list[Mapping[str, Any]]]]:
    exclusions: dict[Key, list[Mapping[str, Any]]] = {}
    cautions: dict[Key, list[Mapping[str, Any]]] = {}
    for entry in screen_muscles:
        key = (entry["muscle"], entry["side"])
        if not entry["allowed"]:
            blocking = [f for f in entry["findings"] if f["severity"] in BLOCKING] or [
                {"title": "Not allowed by the screen", "severity": "absolute"}
            ]
            exclusions.setdefault(key, []).extend(blocking)
        else:
            cautions.setdefault(key, []).extend(entry["findings"])
    return exclusions, cautions


BLOCKING = ("red_flag", "absolute", "site_exclusion")


def _exclusion_titles(state: MuscleState) -> list[str]:
    return list(dict.fromkeys(str(finding["title"]) for finding in state.exclusions))


def _row(muscle: Any, left: MuscleState, right: MuscleState) -> dict[str, Any]:
    """One muscle of the list alternative; precautions are named once for both sides, and so are
    exclusions when both sides are excluded for the same reasons."""
    cautions = [f["title"] for state in (left, right) if not state.excluded for f in state.cautions]
    both_excluded = left.excluded and right.excluded
    shared = _exclusion_titles(left) if both_excluded else []
    same_reasons = bool(shared) and shared == _exclusion_titles(right)
    return {
        "muscle": muscle,
        "left": left,
        "right": right,
        "sides": (left, right),  # the list draws a cell for each (templatetags.body_chart)
        "cautions": list(dict.fromkeys(cautions)),
        # Both sides excluded for the same reasons: said once, beside the muscle's name.
        "exclusions": shared if same_reasons else [],
    }


def _grouped_not_in_record(
    trigger_points: Mapping[Key, TriggerPoint], chosen: Iterable[Key]
) -> frozenset[str]:
    """Grouped entries (e.g. thoracic erector spinae) the record does not use: the chart offers
    the named muscles split from them instead, and draws a group only where it is recorded."""
    # ``chosen`` may hold a malformed value posted back (a 1-tuple): only its first part is read.
    used = {key[0] for key in trigger_points} | {key[0] for key in chosen if key}
    return frozenset(grouped_muscles()) - used


def build_chart(
    *,
    mode: str,
    trigger_points: Mapping[Key, TriggerPoint] | None = None,
    chosen: set[Key] | frozenset[Key] = frozenset(),
    screen_muscles: Sequence[Mapping[str, Any]] = (),
) -> BodyChart:
    """The chart for a patient: trigger points, chosen muscles and the screen's exclusions.

    ``screen_muscles`` is the ``muscles`` list of a screening result (``to_dict()``); a muscle
    the screen does not allow is excluded on the chart and cannot be chosen.
    """
    trigger_points = trigger_points or {}
    exclusions, cautions = _findings_by_key(screen_muscles)
    catalogue = muscle_catalogue()
    states: dict[Key, MuscleState] = {}
    for muscle in catalogue.values():
        for side in ("left", "right"):
            key = (muscle.id, side)
            states[key] = MuscleState(
                muscle=muscle.id,
                side=side,
                name=muscle.name,
                trigger_point=trigger_points.get(key),
                chosen=key in chosen,
                exclusions=tuple(exclusions.get(key, ())),
                cautions=tuple(cautions.get(key, ())),
            )
    chart = BodyChart(mode=mode, states=states, outline=outline_path())
    hidden = _grouped_not_in_record(trigger_points, chosen)
    for view in VIEWS:
        shown = [r for r in regions(view) if r.muscle not in hidden]
        drawn = [DrawnRegion(r, states[(r.muscle, r.side)]) for r in shown]
        chart.figures.append({"view": view, "title": view.title(), "regions": drawn})
    neck = [
        d for d in chart.figures[1]["regions"] if catalogue[d.region.muscle].region == "cervical"
    ]
    chart.figures.append({"view": "neck", "title": "Posterior neck (detail)", "regions": neck})
    for region in REGIONS:
        muscles = [m for m in catalogue.values() if m.region == region and m.id not in hidden]
        rows = [_row(m, states[(m.id, "left")], states[(m.id, "right")]) for m in muscles]
        if rows:
            title = REGION_TITLES.get(region, region)
            chart.groups.append({"title": title, "cautions": _said_once(rows), "rows": rows})
    return chart


def _said_once(rows: list[dict[str, Any]]) -> list[str]:
    """The precautions every muscle of a region that can be needled shares (needling both sides
    of the thorax in one session, for each thoracic muscle): said once for the region and taken
    out of its rows, where they would repeat on every line."""
    open_rows = [row for row in rows if not (row["left"].excluded and row["right"].excluded)]
    if len(open_rows) < 2:
        return []
    shared = [
        title
        for title in open_rows[0]["cautions"]
        if all(title in row["cautions"] for row in open_rows[1:])
    ]
    for row in open_rows:
        row["cautions"] = [title for title in row["cautions"] if title not in shared]
    return shared
