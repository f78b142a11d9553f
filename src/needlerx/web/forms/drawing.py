"""Form fields and their widgets drawn in Python, exactly as their Jinja2 templates draw them.

A field group (``web/field.html``) and the widget inside it (Django's ``input.html``,
``attrs.html``...) are three or four templates per field: about 50 µs for a text box and 150 µs
for a list of options, so the evaluation's 54 fields took 3.7 ms and a draft note's 31 took 2.3
ms. ``FormRenderer`` draws the templates named in ``DRAWN_IN_PYTHON`` with the functions here
instead, and every other template (a radio group's own widget, a date split in three) with
Jinja2 as before.

The templates stay the definition of the markup: ``tests/web/test_form_drawing.py`` holds each
function equal, character for character, to its template, for every field of the pages that
draw forms and for fields in every state (new, initial, bound, in error, disabled, escaped).
Values are escaped as Jinja2 escapes them (``markupsafe.escape``: a value that is already safe
HTML, such as a widget drawn by Django, is kept as it is).

A group of choices (radio buttons, checkboxes) without errors is drawn once for everything it is
drawn from (``_group_key``) and kept: the evaluation asks 42 yes-or-no questions, and building
each group's options through Django's widget again on every visit cost it 2 ms.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django import forms
from django.forms import BoundField
from markupsafe import escape

FIELD_TEMPLATE = "web/field.html"
# Widgets whose template is ``input.html`` (Django's ``Input`` subclasses).
_INPUT_WIDGETS = (
    "checkbox",
    "color",
    "date",
    "datetime",
    "email",
    "hidden",
    "input",
    "number",
    "password",
    "search",
    "tel",
    "text",
    "time",
    "url",
)
_CHOICE_GROUPS = ("radioselect", "checkboxselectmultiple")
# Django's own widgets for a group of choices: what they draw follows from ``_group_key`` alone.
_KEYED_GROUP_WIDGETS = (forms.RadioSelect, forms.CheckboxSelectMultiple)
# Choice groups kept drawn: the evaluation's 42 (yes or no for each history question) in the
# states a patient's answers give them (not answered, yes, no; still to answer or not: about 250),
# and the other forms' groups; the least used go first past this many. A group and its key take
# about 4 KB, so at most about 4 MB a server worker.
GROUPS_KEPT = 1024


def attributes(attrs: Mapping[str, Any]) -> str:
    """As ``django/forms/widgets/attrs.html``: False is left out, True is a bare name."""
    return "".join(
        f" {escape(name)}" if value is True else f' {escape(name)}="{escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def input_element(widget: Mapping[str, Any]) -> str:
    """As ``django/forms/widgets/input.html`` (text, number, date, checkbox, hidden...)."""
    value = "" if widget["value"] is None else f' value="{escape(widget["value"])}"'
    return (
        f'<input type="{escape(widget["type"])}" name="{escape(widget["name"])}"{value}'
        f"{attributes(widget['attrs'])}>"
    )


def textarea_element(widget: Mapping[str, Any]) -> str:
    """As ``django/forms/widgets/textarea.html`` (the line break after the tag is the
    template's, and HTML drops it)."""
    value = escape(widget["value"]) if widget["value"] else ""
    opening = f'<textarea name="{escape(widget["name"])}"{attributes(widget["attrs"])}>'
    return f"{opening}\n{value}</textarea>"


def select_element(widget: Mapping[str, Any]) -> str:
    """As ``django/forms/widgets/select.html`` with ``select_option.html`` per option."""
    drawn = [f'<select name="{escape(widget["name"])}"{attributes(widget["attrs"])}>']
    for group_name, options, _ in widget["optgroups"]:
        if group_name:
            drawn.append(f'\n  <optgroup label="{escape(group_name)}">')
        drawn.extend(
            f'\n  <option value="{escape(option["value"])}"{attributes(option["attrs"])}>'
            f"{escape(option['label'])}</option>"
            for option in options
        )
        if group_name:
            drawn.append("\n  </optgroup>")
    drawn.append("\n</select>")
    return "".join(drawn)


def _mark(field: BoundField) -> str:
    if field.field.required:
        return ' <span class="muted small">(required)</span>'
    if getattr(field.field, "needed_for_screen", False):
        return ' <span class="required-mark">(still to answer)</span>'
    return ""


def _help(field: BoundField) -> str:
    if not field.help_text:
        return ""
    return f'<p class="help" id="{escape(field.auto_id)}_helptext">{escape(field.help_text)}</p>'


def _errors(field: BoundField) -> str:
    return "".join(
        f'<p class="field-error" id="{escape(field.auto_id)}_error">{escape(error)}</p>'
        for error in field.errors
    )


def _choice(option: Mapping[str, Any]) -> str:
    """One option of a group, its input inside its label (the option's data is the input's)."""
    return (
        f'<label class="check" for="{escape(option["attrs"].get("id", ""))}">'
        f"{input_element(option)} {escape(option['label'])}</label>"
    )


def _choice_group(field: BoundField) -> str:
    has_error = " has-error" if field.errors else ""
    described = field.aria_describedby
    described_by = f' aria-describedby="{escape(described)}"' if described else ""
    choices = "".join(_choice(choice.data) for choice in field)
    return (
        f'<fieldset class="field{has_error}"{described_by}>\n'
        f"  <legend>{escape(field.label)}{_mark(field)}</legend>\n"
        f"  {_help(field)}\n  {choices}\n  {_errors(field)}\n</fieldset>"
    )


def _group_key(field: BoundField) -> Hashable | None:
    """Everything a group of choices without errors is drawn from, when its widget is Django's
    own and its choices are plain values (None: draw it afresh). Words are keyed as they are
    drawn (escaped, so safe HTML and plain text differ) and values with their type (True and 1
    are equal keys but draw differently). Building each option through Django's widget took
    about 50 µs a group, 2 ms of an evaluation."""
    widget = field.field.widget
    if type(widget) not in _KEYED_GROUP_WIDGETS or field.errors:
        return None
    if not isinstance(widget.choices, list | tuple):  # read when iterated (a queryset's rows)
        return None
    choices = []
    for value, label in widget.choices:
        if type(value) not in (str, int) or isinstance(label, list | tuple):
            return None
        choices.append((value, escape(label)))
    key = (
        type(widget),
        field.html_name,
        field.auto_id,
        escape(field.label),
        escape(field.help_text),
        _mark(field),
        tuple(choices),
        tuple(widget.format_value(field.value())),
        tuple((name, type(value), value) for name, value in widget.attrs.items()),
        field.field.required,
        field.field.disabled,
        field.form.use_required_attribute,
    )
    try:
        hash(key)
    except TypeError:  # an attribute's value that cannot be a key
        return None
    return key


@dataclass(frozen=True)
class _Group:
    """A group of choices to draw, equal and hashed by its ``_group_key`` alone (as
    ``screening.selectors._ScreenOf`` keeps a screen by its digest)."""

    key: Hashable
    bound: BoundField = field(compare=False)


@lru_cache(maxsize=GROUPS_KEPT)
def _kept_group(group: _Group) -> str:
    return _choice_group(group.bound)


def _choice_group_once(bound: BoundField) -> str:
    """A group of choices, drawn once for each ``_group_key`` (the same markup every time)."""
    key = _group_key(bound)
    return _choice_group(bound) if key is None else _kept_group(_Group(key, bound))


def field_group(field: BoundField) -> str:
    """As ``web/field.html``: a label (a legend for a group of choices), the widget, its help
    and its errors (without the white space around it, which the form renderer strips)."""
    if field.widget_type in _CHOICE_GROUPS:
        return _choice_group_once(field)
    has_error = " has-error" if field.errors else ""
    if field.widget_type == "checkbox":
        return (
            f'<div class="field{has_error}">\n'
            f'  <label class="check" for="{escape(field.auto_id)}">{escape(field)} '
            f"{escape(field.label)}</label>\n"
            f"  {_help(field)}\n  {_errors(field)}\n</div>"
        )
    return (
        f'<div class="field{has_error}">\n'
        f'  <label for="{escape(field.auto_id)}">{escape(field.label)}{_mark(field)}</label>\n'
        f"  {escape(field)}\n"
        f"  {_help(field)}\n  {_errors(field)}\n</div>"
    )


DRAWN_IN_PYTHON: dict[str, Callable[[dict[str, Any]], str]] = {
    FIELD_TEMPLATE: lambda context: field_group(context["field"]),
    "django/forms/widgets/textarea.html": lambda context: textarea_element(context["widget"]),
    "django/forms/widgets/select.html": lambda context: select_element(context["widget"]),
    **{
        f"django/forms/widgets/{name}.html": lambda context: input_element(context["widget"])
        for name in _INPUT_WIDGETS
    },
}
