"""The OpenAPI document tells the truth about every answer: each operation's success is a typed
schema (no free-form object leaves the server: data minimisation), each lists the errors it can
answer, and no two schemas share a name (the document keeps one definition per name)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, get_args

import pytest
from django.db import models
from ninja import Router
from ninja.openapi.schema import REF_TEMPLATE
from ninja.schema import NinjaGenerateJsonSchema
from pydantic import BaseModel

from needlerx.accounts.api import router as accounts_router
from needlerx.api import api
from needlerx.clinic_outcomes.api import router as clinic_outcomes_router
from needlerx.consultations.api import router as consultations_router
from needlerx.documents.api import router as documents_router
from needlerx.instruments.api import router as instruments_router
from needlerx.patients.api import router as patients_router
from needlerx.patients.models import Sex
from needlerx.patients.responses import SexOut
from needlerx.scheduling.api import router as scheduling_router
from needlerx.screening.api import router as screening_router
from needlerx.treatments.api import router as treatments_router
from needlerx.treatments.models.consent import SignatureKind, SignerRole
from needlerx.treatments.responses import SignatureKindOut, SignerRoleOut

ROUTERS: tuple[Router, ...] = (
    accounts_router,
    instruments_router,
    patients_router,
    screening_router,
    treatments_router,
    scheduling_router,
    consultations_router,
    documents_router,
    clinic_outcomes_router,
)
DOCUMENT: dict[str, Any] = api.get_openapi_schema()
OPERATIONS = {
    f"{method.upper()} {path}": operation
    for path, methods in DOCUMENT["paths"].items()
    for method, operation in methods.items()
}
ERROR_SCHEMA = "#/components/schemas/ErrorOut"


def _schema(reference_or_schema: dict[str, Any]) -> dict[str, Any]:
    name = reference_or_schema.get("$ref", "").rsplit("/", 1)[-1]
    return DOCUMENT["components"]["schemas"][name] if name else reference_or_schema


def _free_form(schema: dict[str, Any]) -> bool:
    """An object that may carry any key with any value, or a value of any type."""
    if schema == {}:
        return True
    if schema.get("type") != "object" or "properties" in schema:
        return False
    extra = schema.get("additionalProperties", True)
    return extra is True or extra == {}


def _schemas_within(schema: Any, seen: set[str]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every sub-schema an answer can contain, following references once each."""
    if isinstance(schema, list):
        for item in schema:
            yield from _schemas_within(item, seen)
        return
    if not isinstance(schema, dict):
        return
    reference = schema.get("$ref")
    if reference:
        name = reference.rsplit("/", 1)[-1]
        if name not in seen:
            seen.add(name)
            yield from _schemas_within(DOCUMENT["components"]["schemas"][name], seen)
        return
    yield schema.get("title", "?"), schema
    for key in ("properties", "$defs"):
        for sub in schema.get(key, {}).values():
            yield from _schemas_within(sub, seen)
    for key in ("items", "additionalProperties", "anyOf", "allOf", "oneOf"):
        if key in schema:
            yield from _schemas_within(schema[key], seen)


def _success(operation: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    successes = [
        (status, answer)
        for status, answer in operation["responses"].items()
        if str(status).startswith("2")
    ]
    assert len(successes) == 1, successes
    return str(successes[0][0]), successes[0][1]


def test_the_document_lists_every_route():
    assert len(OPERATIONS) >= 44
    assert sum(len(view.operations) for r in ROUTERS for view in r.path_operations.values()) == (
        len(OPERATIONS)
    )


@pytest.mark.parametrize("label", sorted(OPERATIONS))
def test_each_success_is_a_typed_schema_all_the_way_down(label):
    status, answer = _success(OPERATIONS[label])
    if status == "204":
        assert "content" not in answer
        return
    if "application/pdf" in answer["content"]:  # a document: bytes, not an object
        assert answer["content"] == {
            "application/pdf": {"schema": {"type": "string", "format": "binary"}}
        }
        return
    top = answer["content"]["application/json"]["schema"]
    assert not _free_form(_schema(top)), f"{label}: the answer is a free-form object"
    if top.get("type") == "array":
        assert not _free_form(_schema(top["items"])), f"{label}: a list of free-form objects"
    free = [title for title, schema in _schemas_within(top, set()) if _free_form(schema)]
    assert not free, f"{label}: free-form parts {free}"


@pytest.mark.parametrize("label", sorted(OPERATIONS))
def test_each_operation_lists_the_errors_it_can_answer(label):
    operation = OPERATIONS[label]
    declared = {int(status) for status in operation["responses"]}
    expected = {401, 403}
    parameters = operation.get("parameters", [])
    if "requestBody" in operation or any(_may_not_parse(p) for p in parameters):
        expected.add(400)  # input that does not parse, or a rule that refuses it
    if any(parameter["in"] == "path" for parameter in parameters):
        expected.add(404)
    if "expected_version" in json.dumps(_request_schema(operation)):
        expected.add(409)
    assert expected <= declared, f"{label} does not declare {sorted(expected - declared)}"
    for status, answer in operation["responses"].items():
        if int(status) >= 400 and int(status) != 401:
            schema = answer["content"]["application/json"]["schema"]
            assert schema == {"$ref": ERROR_SCHEMA}, f"{label} {status}"


def _may_not_parse(parameter: dict[str, Any]) -> bool:
    """Any parameter but free text can be sent malformed (a uuid, a number, a boolean)."""
    schema: dict[str, Any] = parameter["schema"]
    return schema != {"title": schema.get("title"), "type": "string"}


def _request_schema(operation: dict[str, Any]) -> dict[str, Any]:
    body = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
    return _schema(body.get("schema", {}))


def test_the_error_body_is_documented_as_the_api_writes_it():
    error = DOCUMENT["components"]["schemas"]["ErrorDetail"]
    assert set(error["required"]) == {"field", "message", "code"}
    assert set(DOCUMENT["components"]["schemas"]["ErrorOut"]["required"]) == {"error"}


def _response_models() -> Iterator[type[BaseModel]]:
    for router in ROUTERS:
        for view in router.path_operations.values():
            for operation in view.operations:
                yield from (m for m in operation.response_models.values() if m is not None)


def test_no_two_answer_schemas_share_a_name():
    """The document keeps one schema per name: a second class of the same name would silently
    replace the first, and the document would lie about one of the answers."""
    for model in _response_models():
        generated = model.model_json_schema(
            ref_template=REF_TEMPLATE,
            schema_generator=NinjaGenerateJsonSchema,
            mode="serialization",
        )
        for name, definition in generated.get("$defs", {}).items():
            assert DOCUMENT["components"]["schemas"][name] == definition, name


@pytest.mark.parametrize(
    ("declared", "choices"),
    [(SexOut, Sex), (SignerRoleOut, SignerRole), (SignatureKindOut, SignatureKind)],
)
def test_closed_sets_in_the_answers_match_the_models(declared, choices: type[models.TextChoices]):
    assert set(get_args(declared)) == set(choices.values)
