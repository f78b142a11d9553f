"""Fields and widgets drawn in Python (``web.forms.drawing``) are what their templates draw,
character for character, in every state a field can be in; and the test suite's renderer, which
checks every form any test draws, fails a test whose form is drawn differently."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms

from needlerx.web.forms import drawing
from needlerx.web.forms.renderer import FormRenderer, TemplateFormRenderer
from tests.web.checked_form_renderer import CheckedFormRenderer, DrawingDiffers


class VisitForm(forms.Form):
    notes = forms.CharField(help_text="What <the patient> said.", widget=forms.Textarea)
    motion = forms.ChoiceField(
        required=False,
        choices=[("", "—"), ("flexion", "Flexion"), ("Neck", [("rotation", "Rotation & tilt")])],
    )
    reminded = forms.BooleanField(required=False, help_text="Sent by text")
    method = forms.ChoiceField(
        choices=[("phone", "Phone"), ("in_person", "In person")], widget=forms.RadioSelect
    )
    sites = forms.MultipleChoiceField(
        required=False,
        choices=[("left", "Left"), ("right", "Right")],
        widget=forms.CheckboxSelectMultiple(attrs={"data-side": "yes"}),
    )
    needles = forms.IntegerField(min_value=0)
    seen_on = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    email = forms.EmailField(required=False, disabled=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    smoker = forms.ChoiceField(
        choices=[("yes", "Yes"), ("no", "No")], widget=forms.RadioSelect, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["smoker"].needed_for_screen = True  # type: ignore[attr-defined]


STATES: list[dict[str, Any]] = [
    {},
    {"initial": {"notes": 'Said "ouch" <twice>\n', "needles": 3, "sites": ["right"]}},
    {
        "data": {
            "notes": "<b>better</b>",
            "motion": "rotation",
            "reminded": "on",
            "method": "phone",
            "sites": ["left", "right"],
            "needles": "2",
            "seen_on": "2026-11-30",
        }
    },
    {"data": {"needles": "-1", "method": "post"}},  # in error
]


@pytest.mark.parametrize("state", STATES, ids=["new", "initial", "bound", "in error"])
def test_every_field_is_drawn_as_its_template_draws_it(state: dict[str, Any]) -> None:
    python = VisitForm(renderer=FormRenderer(), **state)
    templates = VisitForm(renderer=TemplateFormRenderer(), **state)
    python.is_valid()
    templates.is_valid()
    for name in VisitForm.base_fields:
        assert str(python[name].as_field_group()) == str(templates[name].as_field_group()), name
        assert str(python[name]) == str(templates[name]), name


def test_the_renderer_draws_in_python_only_what_drawing_defines() -> None:
    assert FormRenderer.field_template_name == drawing.FIELD_TEMPLATE
    assert "django/forms/widgets/radio.html" not in drawing.DRAWN_IN_PYTHON


def test_the_suites_renderer_fails_a_field_drawn_differently(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    form = VisitForm(renderer=CheckedFormRenderer())
    str(form["needles"].as_field_group())  # drawn alike: no error
    monkeypatch.setitem(
        drawing.DRAWN_IN_PYTHON,
        drawing.FIELD_TEMPLATE,
        lambda context: drawing.field_group(context["field"]).replace("field", "feld", 1),
    )
    with pytest.raises(DrawingDiffers, match=r"web/field\.html is drawn differently"):
        str(form["needles"].as_field_group())
