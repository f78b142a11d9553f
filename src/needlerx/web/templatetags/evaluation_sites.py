"""The evaluation's site tables (where on the body each condition is), drawn in Python.

Each table is an area per row and a checkbox per side; the evaluation draws 55 rows (165
checkboxes). Looped in the template, their variable lookups were the page's largest cost after
the checkboxes themselves, which ``web.forms.site_grid.SiteCell`` draws.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst

register = template.Library()


@register.simple_tag
def site_rows(table: dict[str, Any]) -> SafeString:
    """One ``<tr>`` per area: its name, then each side's checkbox inside its label (the label
    names the condition, the area and the side for screen readers)."""
    rows = []
    for row in table["rows"]:
        cells = "".join(f"<td>{cell.drawn()}</td>" for cell in row["cells"])
        rows.append(f'<tr><th scope="row">{escape(capfirst(row["area"]))}</th>{cells}</tr>')
    return mark_safe("\n".join(rows))  # noqa: S308 - every value above is escaped
