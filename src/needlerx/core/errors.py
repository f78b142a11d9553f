"""The one application error type. Services raise it; views, the API and the CLI translate it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import models

from needlerx.clinical.errors import ClinicalInputError


class ApplicationError(Exception):
    """A request a person must correct, or an action the rules refuse.

    ``field`` names the input at fault (``date_of_birth``, ``plan[1].muscle``) or is ``None``
    for an action refused as a whole (e.g. signing a note whose needle count does not match).
    """

    def __init__(self, message: str, *, field: str | None = None, code: str = "invalid") -> None:
        super().__init__(f"{field}: {message}" if field else message)
        self.message = message
        self.field = field
        self.code = code

    def to_dict(self) -> dict[str, str | None]:
        return {"field": self.field, "message": self.message, "code": self.code}


class PermissionDenied(ApplicationError):
    """The requesting user may not do this (the API answers 403)."""

    def __init__(self, message: str = "You do not have permission to do this.") -> None:
        super().__init__(message, code="permission_denied")


class NotFound(ApplicationError):
    """Nothing the requesting user may see has that id (the API answers 404)."""

    def __init__(self, message: str = "Not found.") -> None:
        super().__init__(message, code="not_found")


def application_error_from_validation(error: ValidationError) -> ApplicationError:
    """Turn Django's ``full_clean`` error into our error, naming the first field at fault."""
    if hasattr(error, "error_dict"):
        field, errors = next(iter(error.error_dict.items()))
        return ApplicationError(" ".join(e.messages[0] for e in errors), field=field)
    return ApplicationError(" ".join(error.messages))


@contextmanager
def clinical_errors_as_application_errors() -> Iterator[None]:
    """Let services call the clinical core and raise the one application error type."""
    try:
        yield
    except ClinicalInputError as error:
        raise ApplicationError(error.message, field=error.field) from error


def _refuse_nul_characters(instance: models.Model) -> None:
    """PostgreSQL cannot store NUL in text, and no person types one: refuse it by name."""
    for field in instance._meta.concrete_fields:
        value = getattr(instance, field.attname, None)
        if isinstance(value, str) and "\x00" in value:
            raise ApplicationError("must not contain NUL characters", field=field.name)


def validate_model(instance: models.Model, *, exclude: list[str] | None = None) -> None:
    """``full_clean`` that raises ApplicationError naming the first field at fault."""
    _refuse_nul_characters(instance)
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as error:
        raise application_error_from_validation(error) from error
