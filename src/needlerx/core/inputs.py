"""One input model per write, for every door that takes input as data (the API and the CLI).

Each write's pydantic model lives in ``<app>/schemas.py``: ninja uses it as the request body and
the CLI parses its JSON with :func:`parse_input`. A field's rule is written once, as the model's
type or as a rule the clinical core or a service already owns (:func:`checked_by`,
:class:`OneOf`), so the API (400) and the CLI (exit 2) refuse the same value with the same
field and message (:func:`first_error`).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
)
from pydantic import ValidationError as PydanticValidationError
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError, core_schema

from needlerx.clinical.errors import ClinicalInputError
from needlerx.clinical.screening.inputs import require_choice
from needlerx.core.errors import ApplicationError
from needlerx.core.json_input import read_json_input
from needlerx.core.storable import refuse_unstorable

Model = TypeVar("Model", bound=BaseModel)
# Parts of a pydantic error location that are ninja's wrapping, not the client's field names.
WRAPPING = ("body", "payload")


def is_uuid(value: uuid.UUID | str) -> bool:
    """Whether ``value`` reads as a UUID (so a lookup by it cannot fail on its form)."""
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def field_name(location: Sequence[str | int]) -> str | None:
    """``("plan", 1, "muscle")`` -> ``plan[1].muscle``, the form ApplicationError names use."""
    name = ""
    for part in location:
        if isinstance(part, int):
            name += f"[{part}]"
        elif part not in WRAPPING:
            name += f".{part}" if name else part
    return name or None


def first_error(errors: Sequence[Mapping[str, Any]]) -> tuple[str | None, str]:
    """The field and message of the first error pydantic found (the one a person fixes first)."""
    first = errors[0] if errors else {}
    return field_name(first.get("loc", ())), str(first.get("msg", "invalid input"))


def parse_input(model: type[Model], payload: Any) -> Model:
    """``payload`` checked by ``model``, or an ApplicationError naming the first field at fault."""
    if not isinstance(payload, Mapping):
        raise ApplicationError(
            f"must be a JSON object (got {type(payload).__name__})", field="input"
        )
    refuse_unstorable(payload)
    try:
        return model.model_validate(payload)
    except PydanticValidationError as error:
        field, message = first_error(error.errors())
        raise ApplicationError(message, field=field) from None


def _refusal(error: ClinicalInputError | ApplicationError) -> PydanticCustomError:
    return PydanticCustomError("invalid", error.message)


def checked_by(check: Callable[[Any], object]) -> BeforeValidator:
    """Run a rule owned elsewhere on the value as sent (``None`` passes: the type decides).

    The rule's own message becomes the field's error, so a service that runs the same rule
    (for the web forms) refuses with the same words.
    """

    def validate(value: Any) -> Any:
        if value is None:
            return None
        try:
            check(value)
        except (ClinicalInputError, ApplicationError) as error:
            raise _refusal(error) from None
        return value

    return BeforeValidator(validate)


@dataclass(frozen=True)
class OneOf:
    """A text field whose allowed values come from data (clinical files, model choices).

    The error names the allowed values; the OpenAPI document lists them as an ``enum``.
    ``blank`` also allows ``""`` (a value not chosen yet); ``None`` passes to the type.
    """

    allowed: Callable[[], Sequence[str]]
    what: str = "value"
    blank: bool = False

    def check(self, value: Any) -> Any:
        if value is None or (self.blank and value == ""):
            return value
        try:
            require_choice(value, self.what, list(self.allowed()), self.what)
        except ClinicalInputError as error:
            raise _refusal(error) from None
        return value

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        return core_schema.no_info_before_validator_function(self.check, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler(schema)
        values = [*([""] if self.blank else []), *self.allowed()]
        branches = json_schema.get("anyOf", [json_schema])
        for branch in branches:
            if branch.get("type") == "string":
                branch["enum"] = values
        return json_schema


def read_input(model: type[Model], path: str) -> Model:
    """The JSON in ``path`` ("-" for stdin) checked by ``model``: the CLI's side of the API body."""
    return parse_input(model, read_json_input(path))


@dataclass(frozen=True)
class Described:
    """The field's type, refused in words a person can act on: "must be a whole number (got
    'many')" rather than pydantic's parser message. Parsing is unchanged ("54" is 54)."""

    expected: str

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        def validate(value: Any, parse: core_schema.ValidatorFunctionWrapHandler) -> Any:
            try:
                return parse(value)
            except PydanticValidationError:
                raise PydanticCustomError(
                    "invalid", f"must be {self.expected} (got {value!r})"
                ) from None

        return core_schema.no_info_wrap_validator_function(validate, handler(source))


def _with_time_zone(moment: dt.datetime) -> dt.datetime:
    if moment.utcoffset() is None:
        raise PydanticCustomError(
            "invalid",
            "must include a time zone, e.g. 2026-11-30T09:30:00+00:00 or 2026-11-30T09:30:00Z "
            "(got {moment})",
            {"moment": moment.isoformat()},
        )
    try:
        moment.astimezone(dt.UTC)
    except OverflowError:  # 0001-01-01 at +01:00 is before the first moment UTC can hold
        raise PydanticCustomError(
            "invalid", "is outside the calendar (got {moment})", {"moment": moment.isoformat()}
        ) from None
    return moment


# A date-time with its offset: a naive one is ambiguous, and services compare it with aware ones.
AwareDateTime = Annotated[dt.datetime, AfterValidator(_with_time_zone)]
