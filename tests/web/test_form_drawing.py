"""Fields and widgets drawn in Python (``web.forms.drawing``) are what their templates draw,
character for character, in every state a field can be in; and the test suite's renderer, which
checks every form any test draws, fails a test whose form is drawn differently."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.utils.safestring import mark_safe

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


class _LookAlikes(forms.Form):
    """Groups whose words or values are equal as keys but drawn differently."""

    def __init__(self, *args: Any, label: Any, value: Any, attrs: dict[str, Any], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["answer"] = forms.ChoiceField(
            label=label,
            choices=[(value, "Yes"), ("no", "No")],
            required=False,
            widget=forms.RadioSelect(attrs=attrs),
        )


LOOK_ALIKES: list[dict[str, Any]] = [
    {"label": "<b>Smoker</b>", "value": 1, "attrs": {"data-x": 1}},
    {"label": mark_safe("<b>Smoker</b>"), "value": 1, "attrs": {"data-x": 1}},
    {"label": "<b>Smoker</b>", "value": True, "attrs": {"data-x": 1}},
    {"label": "<b>Smoker</b>", "value": 1, "attrs": {"data-x": True}},
]


def test_a_group_drawn_once_is_drawn_again_as_its_template_draws_it_in_every_state() -> None:
    drawing._kept_group.cache_clear()
    for _ in range(2):  # the second time from what the first kept
        for state in STATES:
            python = VisitForm(renderer=FormRenderer(), **state)
            templates = VisitForm(renderer=TemplateFormRenderer(), **state)
            python.is_valid()
            templates.is_valid()
            for name in ("method", "sites", "smoker"):
                assert python[name].as_field_group() == templates[name].as_field_group(), name
    assert drawing._kept_group.cache_info().hits
    # A group in error is never kept: the method refused in the last state is drawn afresh.
    drawing._kept_group.cache_clear()
    in_error = VisitForm(renderer=FormRenderer(), **STATES[-1])
    assert not in_error.is_valid() and in_error["method"].errors
    str(in_error["method"].as_field_group())
    assert drawing._kept_group.cache_info().currsize == 0


@pytest.mark.parametrize("data", [{}, {"answer": "no"}], ids=["new", "answered"])
def test_groups_alike_as_keys_are_each_drawn_as_their_template_draws_them(
    data: dict[str, str],
) -> None:
    drawing._kept_group.cache_clear()
    for _ in range(2):
        for look in LOOK_ALIKES:
            python = _LookAlikes(data, renderer=FormRenderer(), **look)["answer"]
            templates = _LookAlikes(data, renderer=TemplateFormRenderer(), **look)["answer"]
            assert python.as_field_group() == templates.as_field_group(), look
    # Each kept apart, but for the group with the value True: not a plain text or number, it is
    # drawn afresh every time.
    assert drawing._kept_group.cache_info().currsize == len(LOOK_ALIKES) - 1


def test_the_groups_kept_are_bounded() -> None:
    """At most GROUPS_KEPT groups are kept (the least used go first)."""
    assert drawing._kept_group.cache_info().maxsize == drawing.GROUPS_KEPT


def test_a_group_whose_choices_are_read_when_drawn_is_drawn_afresh_reading_them_once() -> None:
    """Choices given as a callable (or a queryset's rows) are read as they are iterated: the
    group is not kept, and keying it must not read them a second time."""
    read = []

    def choices() -> list[tuple[str, str]]:
        read.append(1)
        return [("yes", "Yes"), ("no", "No")]

    class Asked(forms.Form):
        answer = forms.ChoiceField(choices=choices, widget=forms.RadioSelect, required=False)

    drawing._kept_group.cache_clear()
    python = Asked(renderer=FormRenderer())["answer"].as_field_group()
    assert len(read) == 1
    assert python == Asked(renderer=TemplateFormRenderer())["answer"].as_field_group()
    assert drawing._kept_group.cache_info().currsize == 0
