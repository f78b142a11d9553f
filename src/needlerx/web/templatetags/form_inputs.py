"""A form field's ``<input>`` drawn in Python, exactly as Django's widget templates draw it.

``{{ field }}`` renders three templates per input (the widget, ``input.html`` and
``attrs.html``): about 34 µs each. The evaluation's site tables draw 170 checkboxes, so that was
6 ms of the page. ``{% input_of field %}`` takes the same attributes from the same widget
(``BoundField.build_widget_attrs`` and ``Widget.get_context``) and writes them out in one go;
``tests/web/test_form_inputs.py`` holds it equal to ``str(field)``.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString, mark_safe
from markupsafe import escape  # as the form renderer's Jinja2 templates escape

register = template.Library()


def _attributes(attrs: dict[str, Any]) -> str:
    """As ``django/forms/widgets/attrs.html``: False is left out, True is a bare name."""
    return "".join(
        f" {escape(name)}" if value is True else f' {escape(name)}="{escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


@register.simple_tag
def input_of(field: BoundField) -> SafeString:
    """The field's ``<input>`` (a widget drawn by ``input.html``: text, number, checkbox...)."""
    widget = field.field.widget
    if not hasattr(widget, "input_type"):
        raise TypeError(f"{field.name}: {type(widget).__name__} is not drawn as one <input>")
    attrs = field.build_widget_attrs({}, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    drawn = widget.get_context(field.html_name, field.value(), attrs)["widget"]
    value = "" if drawn["value"] is None else f' value="{escape(drawn["value"])}"'
    return mark_safe(  # noqa: S308 - every value above is escaped
        f'<input type="{escape(drawn["type"])}" name="{escape(drawn["name"])}"{value}'
        f"{_attributes(drawn['attrs'])}>"
    )
