"""What every API answer shares: the error body, the errors a route declares, and the value
types that keep a response's JSON exactly as the serializers write it.

Each domain app lists its own answers in ``<app>/responses.py``; ``needlerx.api`` maps the one
application error type to the statuses declared here.
"""

from __future__ import annotations

from typing import Annotated, Any

from ninja import Schema
from ninja.schema import DjangoGetter
from pydantic import Field, ModelWrapValidatorHandler, ValidationInfo, model_validator

# A timestamp the serializers already wrote as ``datetime.isoformat()`` (microseconds and a
# ``+00:00`` offset kept): passed through as text, documented as a date-time.
IsoDateTime = Annotated[str, Field(json_schema_extra={"format": "date-time"})]
# A date the serializers already wrote as ``YYYY-MM-DD``.
IsoDate = Annotated[str, Field(json_schema_extra={"format": "date"})]
# A number stored or computed as a whole number or a decimal; kept as it was (8 stays 8, 8.0 8.0).
Number = int | float
# One recorded screening fact (facts.yaml): yes/no, a number, a date, a list of fact ids or of
# sites (``{"area": ..., "side": ...}``); ``None`` where evidence names an unanswered question.
FactValue = bool | int | float | str | list[str] | list[dict[str, str]] | None


class Out(Schema):
    """An answer's schema. Django Ninja reads every value through a wrapper that resolves Django
    managers, querysets and files; an answer built as plain data (a dict, as the serializers
    write them) or already validated (ninja checks what a route returns once more) has none of
    those, so it goes to pydantic as it is. A screening result, a few hundred nested values, was
    wrapped value by value: about a third of an API list's time."""

    @model_validator(mode="wrap")
    @classmethod
    def _run_root_validator(
        cls, values: Any, handler: ModelWrapValidatorHandler[Any], info: ValidationInfo
    ) -> Any:
        if isinstance(values, dict) or type(values) is cls:
            return handler(values)
        return handler(DjangoGetter(values, cls, info.context))


def _is_none(value: object) -> bool:
    return value is None


def left_out_when_none(description: str) -> Any:
    """A key the serializer writes only when it has a value: optional in the schema, and left
    out of the answer (not ``null``) when there is none."""
    return Field(default=None, exclude_if=_is_none, description=description)


class ErrorDetail(Out):
    field: str | None = Field(description="The input at fault (``plan[1].muscle``), or null.")
    message: str = Field(description="What to correct, in words a person can act on.")
    code: str = Field(description="The kind of refusal (``invalid``, ``conflict``, ...).")


class ValidationIssue(Out):
    """One item of ``details`` when the request did not match the input schema."""

    type: str
    loc: list[str | int]
    msg: str


class ErrorOut(Out):
    """Every refusal: 400 (invalid input or a rule refuses the action), 403 (not allowed, or
    two-factor sign-in unfinished), 404 (nothing you may see has that id), 409 (stale version).
    """

    error: ErrorDetail
    details: list[ValidationIssue] | None = Field(
        default=None, description="Only when the request did not match the input schema."
    )


class UnauthorizedOut(Out):
    """401, from the API's sign-in check (its own body, not ``error``)."""

    detail: str


BAD_REQUEST, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, CONFLICT = 400, 401, 403, 404, 409


def errors(*statuses: int) -> dict[int, Any]:
    """The error answers of a route for its ``response=``: 401 (not signed in) and 403 (not
    allowed, or two-factor sign-in unfinished) on every route, plus ``statuses`` (400, 404, 409)
    where the route can answer them."""
    declared: dict[int, Any] = {UNAUTHORIZED: UnauthorizedOut}
    for status in sorted({FORBIDDEN, *statuses}):
        declared[status] = ErrorOut
    return declared
