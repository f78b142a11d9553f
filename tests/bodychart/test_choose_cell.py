"""A side of a muscle in the body chart's list: the checkbox that chooses it, disabled and
explained where the screen excluded it, and its trigger point; every value escaped."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from django.template.loader import render_to_string

from needlerx.bodychart.chart import MuscleState, build_chart
from needlerx.web.templatetags.body_chart import choose_cell
from tests.web.page_elements import parse_page


def test_a_chosen_side_is_checked_and_shows_its_trigger_point() -> None:
    state = MuscleState(
        muscle="upper_trapezius",
        side="left",
        name="Upper trapezius <neck & shoulder>",
        trigger_point=SimpleNamespace(status="active"),  # type: ignore[arg-type]
        chosen=True,
    )
    cell = parse_page(f"<table><tr>{choose_cell(state, 'plan')}</tr></table>")
    box = cell.by_id("choose-upper_trapezius-left")
    assert box.attrs["value"] == "upper_trapezius:left" and "checked" in box.attrs
    assert "disabled" not in box.attrs
    assert cell.find_all("label")[0].text == "Left Upper trapezius <neck & shoulder>"
    assert cell.find_all("span", class_="tp-type-active")[0].text == "Active trigger point"


def test_an_excluded_side_is_disabled_never_checked_and_says_why() -> None:
    state = MuscleState(
        muscle="pectoralis_minor",
        side="right",
        name="Pectoralis minor",
        chosen=True,
        exclusions=({"title": "Lymphedema at the site"}, {"title": "Implant <pacemaker>"}),
    )
    html = str(choose_cell(state))
    cell = parse_page(f"<table><tr>{html}</tr></table>")
    box = cell.by_id("choose-pectoralis_minor-right")
    assert "disabled" in box.attrs and "checked" not in box.attrs
    assert box.attrs["name"] == "plan"  # the default field
    why = cell.by_id(box.attrs["aria-describedby"] or "")
    assert why.text == "Excluded: Lymphedema at the site; Implant <pacemaker>"
    assert "<pacemaker>" not in html


def _screened(muscle: str, **blocked_by_side: str) -> list[dict[str, object]]:
    """A screen's entries for both sides of ``muscle``: a side named is excluded for that
    reason, the other allowed."""
    return [
        {
            "muscle": muscle,
            "side": side,
            "allowed": side not in blocked_by_side,
            "findings": (
                [{"title": blocked_by_side[side], "severity": "absolute"}]
                if side in blocked_by_side
                else []
            ),
        }
        for side in ("left", "right")
    ]


def _list_row(muscle: str, screen: list[dict[str, object]]) -> Any:
    chart = build_chart(mode="choose", screen_muscles=screen)
    html = render_to_string("bodychart/_choose_list.html", {"chart": chart})
    page = parse_page(html)
    row = next(r for r in page.find_all("tr") if r.find_all(id=f"choose-{muscle}-left"))
    return page, row


def test_both_sides_excluded_for_the_same_reason_say_it_once_beside_the_muscle() -> None:
    reason = "Anticoagulant: needling over a non-compressible vessel"
    page, row = _list_row(
        "upper_trapezius", _screened("upper_trapezius", left=reason, right=reason)
    )
    assert row.text.count(reason) == 1
    for side in ("left", "right"):
        box = page.by_id(f"choose-upper_trapezius-{side}")
        assert "disabled" in box.attrs
        why = page.by_id(box.attrs["aria-describedby"] or "")
        assert why.text == f"Excluded on both sides: {reason}"


def test_sides_excluded_for_different_reasons_each_say_their_own() -> None:
    page, row = _list_row(
        "pectoralis_major",
        _screened("pectoralis_major", left="Lymphedema at the site", right="Implant at the site"),
    )
    left, right = (page.by_id(f"choose-pectoralis_major-{side}") for side in ("left", "right"))
    assert page.by_id(left.attrs["aria-describedby"] or "").text == (
        "Excluded: Lymphedema at the site"
    )
    assert page.by_id(right.attrs["aria-describedby"] or "").text == "Excluded: Implant at the site"
    assert "Excluded on both sides" not in row.text
