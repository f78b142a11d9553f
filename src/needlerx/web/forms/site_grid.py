"""Where on the body one condition is, as one form field: a checkbox per area and side.

The evaluation asks this for five conditions, 33 checkboxes each. A form field per checkbox made
165 fields, each built, bound and drawn through Django's widget machinery on every evaluation
(about 40 µs a checkbox). ``SiteGridField`` is one field per condition: its widget reads the
same checkboxes (posted as ``<fact>__<area>__<side>``, as before) and its value is the ticked
``(area, side)`` pairs; ``SiteCell`` draws each checkbox exactly as Django's ``CheckboxInput``
draws an unrequired one (``tests/web/test_site_grid.py`` holds them equal).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django import forms
from django.utils.html import escape

from needlerx.web.forms.drawing import input_element

Site = tuple[str, str]  # (area, side)
GRID_SUFFIX = "__sites"
_CHECKBOX = forms.CheckboxInput()  # how Django reads one posted checkbox
# Cells kept drawn: every area and side of the catalogue's site questions, ticked and not, a few
# times over (the evaluation draws 165 cells, 8 µs each, 1.3 ms of the page, drawn afresh).
CELLS_KEPT = 4096


def checkbox_name(fact_id: str, area: str, side: str) -> str:
    """The name each site's checkbox is posted under."""
    return f"{fact_id}__{area}__{side}"


def grid_name(fact_id: str) -> str:
    """The form field holding a condition's sites (never posted under this name itself)."""
    return f"{fact_id}{GRID_SUFFIX}"


class SiteGridWidget(forms.Widget):
    """Reads a condition's checkboxes; drawn by ``SiteCell``, never by itself."""

    def __init__(self, areas: Sequence[str], sides: Sequence[str]) -> None:
        super().__init__()
        self.sites = [(area, side) for area in areas for side in sides]

    def value_from_datadict(self, data: Any, files: Any, name: str) -> list[Site]:
        fact_id = name.removesuffix(GRID_SUFFIX)
        return [
            (area, side)
            for area, side in self.sites
            if _CHECKBOX.value_from_datadict(data, files, checkbox_name(fact_id, area, side))
        ]

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return False  # an unticked checkbox is not posted at all: nothing ticked is an answer


class SiteGridField(forms.Field):
    """The ticked ``(area, side)`` pairs of one condition, in area and side order."""

    def __init__(self, *, areas: Sequence[str], sides: Sequence[str], **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(widget=SiteGridWidget(areas, sides), **kwargs)

    def to_python(self, value: Any) -> list[Site]:
        return [(area, side) for area, side in value or []]


@dataclass(frozen=True)
class SiteCell:
    """One area and side of a condition: its checkbox, and the words a screen reader says."""

    name: str
    label: str
    checked: bool

    @property
    def auto_id(self) -> str:
        return f"id_{self.name}"

    def checkbox(self) -> str:
        """As ``CheckboxInput`` draws an unrequired checkbox (escaped)."""
        attrs: dict[str, Any] = {"id": self.auto_id}
        if self.checked:
            attrs["checked"] = True
        return input_element({"type": "checkbox", "name": self.name, "value": None, "attrs": attrs})

    def drawn(self) -> str:
        """The cell's label, holding its checkbox and its words for screen readers (drawn once
        for each name, words and state: the same markup every time)."""
        return _drawn_cell(self)


@lru_cache(maxsize=CELLS_KEPT)
def _drawn_cell(cell: SiteCell) -> str:
    return (
        f'<label class="check" for="{escape(cell.auto_id)}">{cell.checkbox()}'
        f'<span class="visually-hidden">{escape(cell.label)}</span></label>'
    )


def site_cells(
    fact_id: str, fact_label: str, area: str, sides: Iterable[str], ticked: AbstractSet[Site]
) -> list[SiteCell]:
    """The cells of one area's row, ticked where ``ticked`` says."""
    words = area.replace("_", " ")
    return [
        SiteCell(
            name=checkbox_name(fact_id, area, side),
            label=f"{fact_label}: {words}, {side}",
            checked=(area, side) in ticked,
        )
        for side in sides
    ]


def sites_as_records(sites: Iterable[Site]) -> list[Mapping[str, str]]:
    """The sites as the screening facts store them."""
    return [{"area": area, "side": side} for area, side in sites]
