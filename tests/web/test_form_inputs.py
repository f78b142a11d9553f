"""``{% input_of field %}`` draws exactly what ``{{ field }}`` draws (Django's widget templates),
whatever the field's state: checked or not, bound, with errors, help, required, disabled or
values that need escaping."""

from __future__ import annotations

import pytest
from django import forms

from needlerx.web.templatetags.form_inputs import input_of


class SitesForm(forms.Form):
    marked = forms.BooleanField(required=False, label="Neck, left")
    unmarked = forms.BooleanField(required=False, initial=False)
    ticked = forms.BooleanField(required=False, initial=True)
    agreed = forms.BooleanField(help_text="Consent <given> today")
    locked = forms.BooleanField(required=False, disabled=True, initial=True)
    dose = forms.DecimalField(required=False, max_digits=5, decimal_places=1)
    name = forms.CharField(max_length=20, widget=forms.TextInput(attrs={"autocomplete": "off"}))
    notes = forms.CharField(required=False, widget=forms.Textarea)


@pytest.mark.parametrize(
    "form",
    [
        SitesForm(),
        SitesForm(initial={"dose": "2.5", "name": 'Ann "A" <O\'Neil>'}),
        SitesForm(data={"marked": "on", "dose": "x", "name": "<b>Al</b>"}),
        SitesForm(data={}),  # every required field in error
    ],
    ids=["new", "with initial values", "bound", "bound with errors"],
)
def test_every_input_is_drawn_as_the_widget_templates_draw_it(form: forms.Form) -> None:
    form.is_valid()
    for name in ("marked", "unmarked", "ticked", "agreed", "locked", "dose", "name"):
        assert str(input_of(form[name])) == str(form[name]), name


def test_a_widget_that_is_not_one_input_is_refused() -> None:
    with pytest.raises(TypeError, match="notes: Textarea"):
        input_of(SitesForm()["notes"])
