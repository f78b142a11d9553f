"""A condition's sites as one form field: its checkboxes are read as Django reads a checkbox and
drawn exactly as Django draws one, so the evaluation posts and shows what it did with a field
per checkbox."""

from __future__ import annotations

from django import forms

from needlerx.web.forms.site_grid import SiteCell, SiteGridField, checkbox_name, grid_name

AREAS = ("neck", "upper_back")
SIDES = ("left", "right", "midline")


class _Grid(forms.Form):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields[grid_name("skin")] = SiteGridField(areas=AREAS, sides=SIDES)


class _OneCheckbox(forms.Form):
    tick = forms.BooleanField(required=False, label="Skin: neck, left")


def test_ticked_checkboxes_are_read_as_django_reads_a_checkbox() -> None:
    posted = {
        checkbox_name("skin", "neck", "left"): "on",
        checkbox_name("skin", "neck", "right"): "false",  # as CheckboxInput: not ticked
        checkbox_name("skin", "upper_back", "midline"): "true",
        "other__neck__left": "on",
    }
    form = _Grid(posted)
    assert form.is_valid()
    assert form.cleaned_data[grid_name("skin")] == [("neck", "left"), ("upper_back", "midline")]
    nothing = _Grid({})
    assert nothing.is_valid() and nothing.cleaned_data[grid_name("skin")] == []


def test_a_cell_is_drawn_as_django_draws_an_unrequired_checkbox() -> None:
    for checked, data in ((False, {}), (True, {"tick": "on"})):
        field = _OneCheckbox(data)["tick"]
        cell = SiteCell(name="tick", label="Skin: neck, left", checked=checked)
        assert cell.checkbox() == str(field)
        assert cell.auto_id == field.auto_id


def test_names_and_words_are_escaped() -> None:
    cell = SiteCell(name='a"b', label="Scar <left> & right", checked=True)
    drawn = cell.drawn()
    assert 'a"b' not in drawn and "<left>" not in drawn
    assert 'name="a&#34;b"' in drawn and "Scar &lt;left&gt; &amp; right" in drawn
