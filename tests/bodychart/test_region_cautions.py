"""A precaution every muscle of a region shares (needling both sides of the thorax in one session)
is said once for the region in the body chart's list, not on every muscle's line; a precaution
of some muscles only stays on theirs."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

from needlerx.bodychart.chart import build_chart
from needlerx.clinical.reference import muscle_catalogue

BOTH_SIDES = "Both sides of the thorax in one session"
NEAR_LUNG = "Over the lung"


def _screened(region: str, *, extra: dict[str, str], excluded: str) -> list[dict[str, Any]]:
    """Every muscle of ``region`` allowed with ``BOTH_SIDES``, some with more; one excluded."""
    entries = []
    for muscle in muscle_catalogue().values():
        if muscle.region != region:
            continue
        for side in ("left", "right"):
            shut = muscle.id == excluded
            findings = [{"title": "Implanted device", "severity": "site_exclusion"}] if shut else []
            if not shut:
                findings = [{"title": BOTH_SIDES, "severity": "precaution"}]
                if muscle.id in extra:
                    findings.append({"title": extra[muscle.id], "severity": "precaution"})
            entries.append(
                {"muscle": muscle.id, "side": side, "allowed": not shut, "findings": findings}
            )
    return entries


def _thoracic(chart: Any) -> dict[str, Any]:
    return next(group for group in chart.groups if group["title"].startswith("Upper and mid back"))


def _listed_thoracic_muscles() -> list[str]:
    """The thoracic muscles the list shows (not a grouped muscle that no record uses)."""
    return [row["muscle"].id for row in _thoracic(build_chart(mode="choose"))["rows"]]


def test_a_precaution_every_muscle_of_a_region_shares_is_said_once_for_the_region() -> None:
    muscles = _listed_thoracic_muscles()
    assert len(muscles) > 3
    screened = _screened("thoracic", extra={muscles[1]: NEAR_LUNG}, excluded=muscles[2])
    chart = build_chart(mode="choose", screen_muscles=screened)
    group = _thoracic(chart)
    assert group["cautions"] == [BOTH_SIDES]
    by_muscle = {row["muscle"].id: row["cautions"] for row in group["rows"]}
    assert by_muscle[muscles[1]] == [NEAR_LUNG]
    assert all(by_muscle[m] == [] for m in muscles if m != muscles[1])
    html = render_to_string("bodychart/_choose_list.html", {"chart": chart, "field_name": "plan"})
    assert html.count(BOTH_SIDES) == 1
    assert "Precautions for every muscle here: " + BOTH_SIDES in html
    assert html.count(NEAR_LUNG) == 1
    assert "Excluded on both sides: Implanted device" in html


def test_a_precaution_of_some_muscles_only_stays_on_their_lines() -> None:
    muscles = _listed_thoracic_muscles()
    screened = _screened("thoracic", extra={muscles[0]: NEAR_LUNG}, excluded="")
    for entry in screened:  # the shared precaution taken from one muscle: no longer shared
        if entry["muscle"] == muscles[3]:
            entry["findings"] = []
    group = _thoracic(build_chart(mode="choose", screen_muscles=screened))
    assert group["cautions"] == []
    by_muscle = {row["muscle"].id: row["cautions"] for row in group["rows"]}
    assert by_muscle[muscles[0]] == [BOTH_SIDES, NEAR_LUNG]
    assert by_muscle[muscles[3]] == []
    assert by_muscle[muscles[1]] == [BOTH_SIDES]
