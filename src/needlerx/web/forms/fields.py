"""Form fields shared by the web forms."""

from __future__ import annotations

from typing import Any

from django import forms

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
