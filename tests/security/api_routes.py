"""API operations from the live OpenAPI document, with victim ids in paths, queries and bodies."""

from __future__ import annotations

import re
from typing import Any

from needlerx.api import api
from tests.security.conftest import Victim
from tests.security.routes import PARAMETER, Route, fill, victim_object

BODY_METHODS = {"post", "put", "patch"}


def openapi() -> dict[str, Any]:
    return dict(api.get_openapi_schema())


def _resolve(schema: dict[str, Any], document: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = document["components"]["schemas"][name]
    if "anyOf" in schema:
        options = [s for s in schema["anyOf"] if s.get("type") != "null"]
        return _resolve(options[0], document) if options else {}
    if "allOf" in schema and len(schema["allOf"]) == 1:
        return _resolve(schema["allOf"][0], document)
    return schema


def _victim_id(name: str, victim: Victim) -> str:
    if name == "clinic_id":
        return str(victim.patient.clinic.public_id)
    if name == "patient_id":
        return str(victim.patient.public_id)
    obj = victim_object(name, victim.patient.clinic, victim.patient)
    return str(getattr(obj, "public_id", victim.patient.public_id))


def example(
    schema: dict[str, Any], document: dict[str, Any], victim: Victim, name: str = ""
) -> Any:
    """A plausible value for the schema; every uuid is a victim id."""
    schema = _resolve(schema, document)
    kind = schema.get("type")
    if "enum" in schema:
        return schema["enum"][0]
    if schema.get("format") == "uuid":
        return _victim_id(name, victim)
    if kind == "object" or "properties" in schema:
        return {
            key: example(sub, document, victim, key)
            for key, sub in schema.get("properties", {}).items()
        }
    if kind == "array":
        return [example(schema.get("items", {}), document, victim, name)]
    if schema.get("format") == "date":
        return "2020-01-01"
    if schema.get("format") == "date-time":
        return "2020-01-01T09:00:00Z"
    return {"integer": 1, "number": 1, "boolean": False}.get(str(kind), "x")


def api_routes(victim: Victim) -> list[Route]:
    document = openapi()
    routes: list[Route] = []
    for template, operations in document["paths"].items():
        django_style = re.sub(r"{(\w+)}", r"<\1>", template)
        for method, operation in operations.items():
            path, has_ids, owner = fill(django_style, victim.patient.clinic, victim.patient)
            query = {
                p["name"]: _victim_id(p["name"], victim)
                for p in operation.get("parameters", [])
                if p["in"] == "query" and p.get("schema", {}).get("format") == "uuid"
            }
            body = None
            if method in BODY_METHODS and "requestBody" in operation:
                content = operation["requestBody"]["content"]["application/json"]["schema"]
                body = example(content, document, victim)
            routes.append(
                Route(
                    method=method.upper(),
                    path=path,
                    label=f"{method.upper()} {template}",
                    uses_victim_id=has_ids or bool(query) or "uuid" in str(body) or _has_id(body),
                    patient=owner,
                    body=body,
                    query=query,
                )
            )
    return routes


def _has_id(body: Any) -> bool:
    return bool(body) and bool(re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-", str(body)))


__all__ = ["PARAMETER", "api_routes", "openapi"]
