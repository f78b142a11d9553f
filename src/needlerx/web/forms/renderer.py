"""How NeedleRx draws a form field: a label, the widget, help and errors (``web/field.html``).

Widgets and fields are drawn by Jinja2 (Django's ``Jinja2`` form renderer), which is several
times quicker than including a Django template per field; a page writes
``{{ form.name.as_field_group }}``, or ``{{ field.as_field_group }}`` in a loop over a form. A group
of radio buttons or checkboxes draws each option's input in the field template itself, from the
data Django's widget would draw it from: Django's option template includes three more templates
per option, which on the evaluation page's hundred options cost a tenth of the page
(``tests/web/test_form_fields.py`` holds the markup equal to Django's).
"""

from __future__ import annotations

from django.forms.renderers import Jinja2


class FormRenderer(Jinja2):
    field_template_name = "web/field.html"
