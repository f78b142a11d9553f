"""The body chart's muscle regions as SVG, and the cells of its list alternative, built here
rather than by a template per region or cell: a figure set has about a hundred regions and the list
about 180 cells, and a template include (then a tag) for each cost a draft note or a screen
milliseconds every time it was shown.

Every value is escaped as Django escapes it (``html.escape`` with quotes, which is what
``django.utils.html.escape`` applies); the markup is the same as the templates drew.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from needlerx.bodychart.chart import DrawnRegion, MuscleState

register = template.Library()


def _shape(drawn: DrawnRegion) -> str:
    region, state = drawn.region, drawn.state
    css, key, label = escape(state.css), escape(state.key), escape(state.label)
    shape, geometry = region.shape, region.svg_geometry
    return f'<{shape} class="{css}" data-region="{key}" {geometry}><title>{label}</title></{shape}>'


@register.simple_tag
def body_regions(regions: list[DrawnRegion], mode: str, region_url: str = "") -> SafeString:
    """A figure's regions, drawn in one call (a tag per region cost a figure set about 0.5 ms)."""
    return mark_safe("".join(body_region(drawn, mode, region_url) for drawn in regions))  # noqa: S308 - each region escapes its values


def body_region(drawn: DrawnRegion, mode: str, region_url: str = "") -> str:
    """One region: a picture in view mode (or where the screen excluded the muscle), a link that
    chooses the muscle in choose mode, a link to its trigger-point form in examine mode."""
    state = drawn.state
    key, label, shape = escape(state.key), escape(state.label), _shape(drawn)
    if state.excluded or mode == "view":
        markup = f'<g role="img" aria-label="{label}" data-muscle="{key}">{shape}</g>'
    elif mode == "choose":
        muscle, side = escape(state.muscle), escape(state.side)
        markup = (
            f'<a href="#choose-{muscle}-{side}" data-choose="{key}" aria-label="{label}">'
            f"{shape}</a>"
        )
    else:
        url, muscle, side = escape(region_url), escape(state.muscle), escape(state.side)
        markup = (
            f'<a href="{url}?muscle={muscle}&amp;side={side}#record" data-muscle="{key}" '
            f'aria-label="{label}">{shape}</a>'
        )
    return markup  # every value above is escaped


@register.simple_tag
def choose_rows(rows: Sequence[Mapping[str, Any]], field_name: str = "") -> SafeString:
    """A region's muscles in the list alternative, a row each: the muscle's name, its precautions
    and (when both sides are excluded for the same reasons) its exclusions, said once, then a
    cell per side (``choose_cell``). One call per region: a template loop over a draft note's 42
    rows cost it 2 ms."""
    return mark_safe("".join(_choose_row(row, field_name) for row in rows))  # noqa: S308 - each row escapes its values


def _choose_row(row: Mapping[str, Any], field_name: str) -> str:
    muscle = row["muscle"]
    excluded = " excluded" if row["left"].excluded and row["right"].excluded else ""
    said = [f'<span class="muscle-name">{escape(muscle.name)}</span>']
    if row["cautions"]:
        cautions = "; ".join(escape(str(title)) for title in row["cautions"])
        said.append(f'<span class="caution-reason">Precautions: {cautions}</span>')
    if row["exclusions"]:
        exclusions = "; ".join(escape(str(title)) for title in row["exclusions"])
        said.append(
            f'<span class="exclusion-reason" id="why-{escape(muscle.id)}">'
            f"Excluded on both sides: {exclusions}</span>"
        )
    cells = "".join(choose_cell(side, field_name, row["exclusions"]) for side in row["sides"])
    return f'<tr class="muscle-row{excluded}"><th scope="row">{"".join(said)}</th>{cells}</tr>'


@register.simple_tag
def choose_cell(
    state: MuscleState, field_name: str = "", row_reasons: Sequence[str] = ()
) -> SafeString:
    """One side of a muscle in the list alternative: a checkbox that chooses it, disabled where
    the screen excluded it (and then the reasons, linked to the checkbox), and its trigger point.
    ``row_reasons``: the exclusions the row names once for both sides (``why-<muscle>``); the
    cell then links to them instead of repeating them."""
    said_once = bool(row_reasons)
    muscle, side = escape(state.muscle), escape(state.side)
    place = f"{muscle}-{side}"
    attributes = ""
    if state.excluded:
        reasons_id = f"why-{muscle}" if said_once else f"why-{place}"
        attributes = f' disabled aria-describedby="{reasons_id}"'
    elif state.chosen:
        attributes = " checked"
    markup = [
        f'<td><label class="check{" disabled" if state.excluded else ""}" for="choose-{place}">'
        f'<input type="checkbox" id="choose-{place}" name="{escape(field_name or "plan")}" '
        f'value="{escape(state.key)}"{attributes}>'
        f"<span>{escape(state.side[:1].upper() + state.side[1:])}"
        f'<span class="visually-hidden"> {escape(state.name)}</span></span></label>'
    ]
    if state.excluded and not said_once:
        reasons = "; ".join(escape(str(finding["title"])) for finding in state.exclusions)
        markup.append(f'<span class="exclusion-reason" id="why-{place}">Excluded: {reasons}</span>')
    if state.trigger_point is not None:
        status = escape(state.trigger_point.status)
        markup.append(
            f'<span class="small tp-type-{status}">{status[:1].upper() + status[1:]} trigger '
            "point</span>"
        )
    markup.append("</td>")
    return mark_safe("".join(markup))  # noqa: S308 - every value above is escaped
