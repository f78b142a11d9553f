"""How a form field is drawn (``web/jinja2/web/field.html`` through ``as_field_group``): a label
or a group's legend that says "(required)" or "(still to answer)", the widget, its help and its
errors, each linked to the widget (or to the group of choices) for screen readers."""

from __future__ import annotations

from typing import Any

from django import forms

from tests.web.page_elements import Element, parse_page


class VisitForm(forms.Form):
    method = forms.ChoiceField(
        choices=[("phone", "Phone"), ("in_person", "In person")], widget=forms.RadioSelect
    )
    notes = forms.CharField(required=False, help_text="What the patient said.")
    smoker = forms.ChoiceField(
        choices=[("yes", "Yes"), ("no", "No")], widget=forms.RadioSelect, required=False
    )
    reminded = forms.BooleanField(required=False, label="Reminder sent")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["smoker"].needed_for_screen = True  # type: ignore[attr-defined]


def _drawn(form: forms.Form, name: str) -> Element:
    return parse_page(str(form[name].as_field_group()))


def test_a_required_choice_says_so_in_its_legend_and_its_error_is_linked() -> None:
    form = VisitForm(data={})
    assert not form.is_valid()
    group = _drawn(form, "method")
    assert group.find_all("legend")[0].text == "Method (required)"
    assert group.by_id("id_method_error").text == "This field is required."
    radios = group.find_all("input", type="radio")
    assert [radio.attrs["value"] for radio in radios] == ["phone", "in_person"]
    # The group, not each radio, is described by the error (as Django's own field template does).
    assert group.find_all("fieldset")[0].attrs["aria-describedby"] == "id_method_error"


def test_a_question_the_screen_needs_says_it_is_still_to_answer() -> None:
    legend = _drawn(VisitForm(), "smoker").find_all("legend")[0]
    assert legend.text == "Smoker (still to answer)"


def test_help_is_linked_to_its_field_and_an_optional_field_is_not_marked() -> None:
    drawn = _drawn(VisitForm(), "notes")
    assert drawn.find_all("label")[0].text == "Notes"
    assert drawn.by_id("id_notes_helptext").text == "What the patient said."
    assert drawn.by_id("id_notes").attrs["aria-describedby"] == "id_notes_helptext"


def test_a_checkbox_sits_inside_its_label() -> None:
    label = _drawn(VisitForm(), "reminded").find_all("label", class_="check")[0]
    assert label.text == "Reminder sent"
    assert label.find_all("input", type="checkbox", id="id_reminded")


class SitesForm(forms.Form):
    sides = forms.MultipleChoiceField(
        choices=[("left", "Left"), ("right", "Right & both")],
        widget=forms.CheckboxSelectMultiple(attrs={"data-side": "yes"}),
    )


def test_each_choice_is_drawn_as_djangos_own_widget_draws_it() -> None:
    """The group draws each option's input itself (four templates fewer per option on the
    evaluation page's 100 choices): the same input Django's widget draws, checked, required,
    with its own attributes, escaped."""
    for form, name in [
        (VisitForm(data={"method": "phone"}), "method"),
        (VisitForm(initial={"smoker": "no"}), "smoker"),
        (SitesForm(data={"sides": ["right"]}), "sides"),
        (SitesForm(data={}), "sides"),
    ]:
        drawn = str(form[name].as_field_group())
        for choice in form[name]:
            assert f'<label class="check" for="{choice.id_for_label}">{choice.tag()} ' in drawn
    assert 'value="right" data-side="yes"' in str(SitesForm()["sides"].as_field_group())
