"""The body chart's muscle regions as SVG, built here rather than by a template per region: a
figure has about a hundred regions, and a template include for each cost a signed note or a
screen a few milliseconds every time it was shown."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from needlerx.bodychart.chart import DrawnRegion

register = template.Library()


def _shape(drawn: DrawnRegion) -> SafeString:
    region, state = drawn.region, drawn.state
    if region.shape == "ellipse":
        return format_html(
            '<ellipse class="{}" data-region="{}" cx="{}" cy="{}" rx="{}" ry="{}">'
            "<title>{}</title></ellipse>",
            state.css,
            state.key,
            region.cx,
            region.cy,
            region.rx,
            region.ry,
            state.label,
        )
    return format_html(
        '<polygon class="{}" data-region="{}" points="{}"><title>{}</title></polygon>',
        state.css,
        state.key,
        region.geometry,
        state.label,
    )


@register.simple_tag
def body_region(drawn: DrawnRegion, mode: str, region_url: str = "") -> SafeString:
    """One region: a picture in view mode (or where the screen excluded the muscle), a link that
    chooses the muscle in choose mode, a link to its trigger-point form in examine mode."""
    state = drawn.state
    if state.excluded or mode == "view":
        return format_html(
            '<g role="img" aria-label="{}" data-muscle="{}">{}</g>',
            state.label,
            state.key,
            _shape(drawn),
        )
    if mode == "choose":
        return format_html(
            '<a href="#choose-{}-{}" data-choose="{}" aria-label="{}">{}</a>',
            state.muscle,
            state.side,
            state.key,
            state.label,
            _shape(drawn),
        )
    return format_html(
        '<a href="{}?muscle={}&amp;side={}#record" data-muscle="{}" aria-label="{}">{}</a>',
        region_url,
        state.muscle,
        state.side,
        state.key,
        state.label,
        _shape(drawn),
    )
