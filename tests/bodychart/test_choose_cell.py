"""A side of a muscle in the body chart's list: the checkbox that chooses it, disabled and
explained where the screen excluded it, and its trigger point; every value escaped."""

from __future__ import annotations

from types import SimpleNamespace

from needlerx.bodychart.chart import MuscleState
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
