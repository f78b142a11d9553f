"""Form fields shared by the web forms."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from needlerx.core import local

# The widest PostgreSQL integer column; narrower columns are checked before saving
# (core.storable), so a number no column holds is refused on the form, never a 500.
WIDEST_COLUMN = (-(2**31), 2**31 - 1)


class WholeNumberField(forms.IntegerField):
    """A whole number bounded by what a column can hold unless the form bounds it more."""

    def __init__(
        self,
        *,
        min_value: int | None = WIDEST_COLUMN[0],
        max_value: int | None = WIDEST_COLUMN[1],
        **kwargs: Any,
    ) -> None:
        super().__init__(min_value=min_value, max_value=max_value, **kwargs)


class LocalDateInput(forms.DateInput):
    """A date input in the clinic's style: the browser's date picker (ISO on the wire) in an ISO
    clinic; a text box taking MM/DD/YYYY (or ISO) in a month-first clinic, shown back as
    MM/DD/YYYY. Decided when the page is drawn, from the request's clinic (core.local)."""

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        if local.current().month_first:
            context["widget"]["type"] = "text"
            context["widget"]["attrs"].setdefault("placeholder", "MM/DD/YYYY")
            context["widget"]["attrs"].setdefault("inputmode", "numeric")
        else:
            context["widget"]["type"] = "date"
        return context

    def format_value(self, value: Any) -> str | None:
        if value in (None, ""):
            return None
        day = value if isinstance(value, dt.date) else local.parse_date(str(value))
        if day is None:
            return str(value)  # what the person typed, to correct beside its error
        if isinstance(day, dt.datetime):
            day = day.date()
        return local.format_date_input(day) if local.current().month_first else day.isoformat()


class LocalDateField(forms.DateField):
    """A date typed in the clinic's style (MM/DD/YYYY or M/D/YYYY where month first) or ISO
    (YYYY-MM-DD, always); otherwise an error naming the field and the formats it takes."""

    widget = LocalDateInput

    def __init__(self, *, label: str, **kwargs: Any) -> None:
        super().__init__(label=label, **kwargs)

    def to_python(self, value: Any) -> dt.date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        day = local.parse_date(str(value))
        if day is None:
            formats = local.current().accepted_date_formats()
            raise forms.ValidationError(
                f"{self.label}: enter a valid date as {formats} (got {str(value)[:40]!r})",
                code="invalid",
            )
        return day
