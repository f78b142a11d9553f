"""A form field's ``<input>`` drawn in Python, exactly as Django's widget templates draw it.

``{{ field }}`` renders three templates per input (the widget, ``input.html`` and
``attrs.html``): about 34 µs each. The evaluation's site tables draw 170 checkboxes, so that was
6 ms of the page. ``{% input_of field %}`` takes the same attributes from the same widget
(``BoundField.build_widget_attrs`` and ``Widget.get_context``) and writes them out in one go
(``web.forms.drawing.input_element``), without a trip through the form renderer;
``tests/web/test_form_inputs.py`` holds it equal to ``str(field)``.
"""

from __future__ import annotations

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString, mark_safe

from needlerx.web.forms.drawing import input_element

register = template.Library()


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
    return mark_safe(input_element(drawn))  # noqa: S308 - input_element escapes every value
