"""The test suite's form renderer: every field and widget that ``web.forms.drawing`` draws in
Python is drawn by its template too, and a difference fails the test that drew it. So every form
any test renders, in whatever state the test left it (new, bound, in error), holds the Python
drawing to the templates that define the markup. ``tests/settings.py`` names it."""

from __future__ import annotations

import difflib
from typing import Any

from django.http import HttpRequest

from needlerx.web.forms.drawing import DRAWN_IN_PYTHON
from needlerx.web.forms.renderer import FormRenderer, TemplateFormRenderer


class DrawingDiffers(AssertionError):
    pass


class CheckedFormRenderer(FormRenderer):
    templates = TemplateFormRenderer()

    def render(
        self, template_name: str, context: dict[str, Any], request: HttpRequest | None = None
    ) -> str:
        drawn = super().render(template_name, context, request)
        if template_name in DRAWN_IN_PYTHON:
            expected = self.templates.render(template_name, context, request)
            if drawn != expected:
                difference = "\n".join(
                    difflib.unified_diff(
                        expected.splitlines(), drawn.splitlines(), "template", "python", lineterm=""
                    )
                )
                raise DrawingDiffers(f"{template_name} is drawn differently:\n{difference}")
        return drawn
