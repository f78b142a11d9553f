"""A side of a muscle in the body chart's list: the checkbox that chooses it, disabled and
explained where the screen excluded it, and its trigger point; every value escaped."""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

from django.template import Context, Template
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


# The rows as the list template drew them before ``choose_rows`` drew them in one call.
ROWS_AS_A_TEMPLATE_LOOP = (
    "{% load body_chart %}{% for row in rows %}\n"
    '<tr class="muscle-row{% if row.left.excluded and row.right.excluded %} excluded{% endif %}">\n'
    '<th scope="row"><span class="muscle-name">{{ row.muscle.name }}</span>'
    '{% if row.cautions %}<span class="caution-reason">'
    'Precautions: {{ row.cautions|join:"; " }}</span>{% endif %}'
    '{% if row.exclusions %}<span class="exclusion-reason" id="why-{{ row.muscle.id }}">'
    'Excluded on both sides: {{ row.exclusions|join:"; " }}</span>{% endif %}</th>\n'
    "{% for side in row.sides %}{% choose_cell side field_name row.exclusions %}{% endfor %}\n"
    "</tr>{% endfor %}"
)


def test_the_rows_are_what_a_template_loop_over_them_drew() -> None:
    """Every kind of row (allowed, with precautions, excluded on one side, on both for the same
    or for different reasons, with a trigger point, names to escape) in each region."""
    screen = [
        *_screened(
            "upper_trapezius", left="Anticoagulant <warfarin>", right="Anticoagulant <warfarin>"
        ),
        *_screened("pectoralis_major", left="Lymphedema", right="Implant & leads"),
        *_screened("levator_scapulae", right="Lymphedema"),
        *[
            {
                "muscle": "rhomboid_major",
                "side": side,
                "allowed": True,
                "findings": [{"title": 'Low BMI: lung "near"', "severity": "relative"}],
            }
            for side in ("left", "right")
        ],
    ]
    chart = build_chart(
        mode="choose",
        screen_muscles=screen,
        chosen={("cervical_multifidus", "left")},
        trigger_points={("levator_scapulae", "left"): SimpleNamespace(status="latent")},  # type: ignore[dict-item]
    )
    for field_name in ("", "muscles"):
        for group in chart.groups:
            context = {"rows": group["rows"], "field_name": field_name}
            looped = Template(ROWS_AS_A_TEMPLATE_LOOP).render(Context(context))
            drawn = Template("{% load body_chart %}{% choose_rows rows field_name %}").render(
                Context(context)
            )
            assert drawn == re.sub(r">\s+<", "><", looped.strip())
