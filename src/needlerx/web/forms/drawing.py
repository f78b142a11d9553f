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
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

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


def field_group(field: BoundField) -> str:
    """As ``web/field.html``: a label (a legend for a group of choices), the widget, its help
    and its errors (without the white space around it, which the form renderer strips)."""
    has_error = " has-error" if field.errors else ""
    if field.widget_type in _CHOICE_GROUPS:
        described = field.aria_describedby
        described_by = f' aria-describedby="{escape(described)}"' if described else ""
        choices = "".join(_choice(choice.data) for choice in field)
        return (
            f'<fieldset class="field{has_error}"{described_by}>\n'
            f"  <legend>{escape(field.label)}{_mark(field)}</legend>\n"
            f"  {_help(field)}\n  {choices}\n  {_errors(field)}\n</fieldset>"
        )
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
