"""How NeedleRx draws a form field: a label, the widget, help and errors (``web/field.html``).

A page writes ``{{ form.name.as_field_group }}``, or ``{{ field.as_field_group }}`` in a loop over a
form. The field template and the common widgets' templates are drawn by the functions of
``web.forms.drawing``, which write exactly what the templates would (a field took 50 to 150 µs
through three or four templates); every other template is drawn by Jinja2 (Django's ``Jinja2``
form renderer, with Django's widget templates for it). A group of radio buttons or checkboxes
draws each option's input in the field itself, from the data Django's widget would draw it from
(``tests/web/test_form_fields.py`` holds the markup equal to Django's).
"""

from __future__ import annotations

from typing import Any

from django.forms.renderers import Jinja2
from django.http import HttpRequest

from needlerx.web.forms.drawing import DRAWN_IN_PYTHON, FIELD_TEMPLATE


class FormRenderer(Jinja2):
    field_template_name = FIELD_TEMPLATE

    def render(
        self, template_name: str, context: dict[str, Any], request: HttpRequest | None = None
    ) -> str:
        draw = DRAWN_IN_PYTHON.get(template_name)
        if draw is None:
            return super().render(template_name, context, request)
        return draw(context)


class TemplateFormRenderer(Jinja2):
    """Every field and widget drawn by its template: what ``FormRenderer`` must equal."""

    field_template_name = FIELD_TEMPLATE
