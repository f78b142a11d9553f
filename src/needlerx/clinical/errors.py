"""The one error type the clinical core raises for input a person must correct."""

from __future__ import annotations


class ClinicalInputError(ValueError):
    """Invalid input to a clinical function, naming the field and what is allowed.

    ``field`` is a dotted path into the input (``facts.bmi``, ``plan[2].muscle``,
    ``responses.3``) so the web form, the API (400) and the CLI (exit 2) can all point at it.
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message

    def to_dict(self) -> dict[str, str]:
        return {"field": self.field, "message": self.message}


class ReferenceDataError(RuntimeError):
    """A data file under ``clinical/data`` is malformed: fail loudly at load time."""
