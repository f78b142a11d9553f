"""Every route of the running URL map and API, with ids of real objects filled in.

New pages and endpoints are picked up automatically: the URL resolver is walked and the API's
OpenAPI document is read at test time. A ``<uuid:x_id>`` parameter gets the public id of a real
object of the victim clinic whose model name matches ``x`` (``patient_id`` -> Patient,
``run_id`` -> ScreeningRun, ``session_id`` -> TreatmentSession ...), consistent with the other
ids in the same URL (the episode belongs to the patient in the URL).
"""

from __future__ import annotations

import re
import uuid
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver

from needlerx.accounts.models import Clinic
from needlerx.patients.models import Patient

PARAMETER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
# A document's <kind> (needlerx.documents): a real kind of the record the URL names, so the walk
# reaches the record's access check rather than the unknown-kind answer.
DOCUMENT_KINDS = {"session_id": "session-note", "episode_id": "progress-report"}


@dataclass
class Route:
    """One URL to call, with the victim patient whose data must not appear in the answer."""

    method: str
    path: str
    label: str
    uses_victim_id: bool
    patient: Patient | None = None
    body: dict[str, Any] | None = None
    query: dict[str, str] = field(default_factory=dict)


def _walk(patterns: list[Any], prefix: str = "") -> Iterator[str]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def page_routes() -> list[str]:
    """Every URL pattern outside the API (the API is enumerated from its OpenAPI document)."""
    return sorted(
        {"/" + route for route in _walk(get_resolver().url_patterns) if "api/v1/" not in route}
    )


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def public_models() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models()
        if model.__module__.startswith("needlerx.")
        and any(f.name == "public_id" for f in model._meta.get_fields())
    ]


def models_for_parameter(name: str) -> list[type[models.Model]]:
    stem = name.removesuffix("_id")
    candidates = public_models()
    exact = [m for m in candidates if _snake(m.__name__) == stem]
    suffix = [m for m in candidates if _snake(m.__name__).endswith("_" + stem)]
    contains = [m for m in candidates if stem in _snake(m.__name__)]
    return exact + suffix + contains


def path_to(model: type[models.Model], target: type[models.Model]) -> str | None:
    """The ORM lookup from ``model`` to ``target`` through foreign keys (breadth first)."""
    if model is target:
        return "pk"
    queue: deque[tuple[type[models.Model], str]] = deque([(model, "")])
    seen = {model}
    while queue:
        current, path = queue.popleft()
        for relation in current._meta.get_fields():
            if not (relation.many_to_one or relation.one_to_one) or not relation.concrete:
                continue
            related = relation.related_model
            if not isinstance(related, type) or related in seen:
                continue
            lookup = f"{path}__{relation.name}" if path else relation.name
            if related is target:
                return lookup
            seen.add(related)
            queue.append((related, lookup))
    return None


def victim_object(name: str, clinic: Clinic, patient: Patient | None) -> models.Model | None:
    """A real object of the victim clinic for a ``<name>`` URL parameter (the patient's, if any)."""
    for model in models_for_parameter(name):
        to_patient, to_clinic = path_to(model, Patient), path_to(model, Clinic)
        objects = model._default_manager.all()
        if patient is not None and to_patient:
            found = objects.filter(**{to_patient: patient}).first()
            if found is not None:
                return found
        if to_clinic:  # "pk" for a <clinic_id> itself
            found = objects.filter(
                **{to_clinic: clinic if to_clinic != "pk" else clinic.pk}
            ).first()
            if found is not None:
                return found
    return None


def patient_of(obj: models.Model) -> Patient | None:
    if isinstance(obj, Patient):
        return obj
    lookup = path_to(type(obj), Patient)
    if not lookup or lookup == "pk":
        return None
    return Patient.objects.filter(
        pk__in=type(obj)._default_manager.filter(pk=obj.pk).values(lookup.replace("__pk", ""))
    ).first()


def fill(route: str, clinic: Clinic, patient: Patient) -> tuple[str, bool, Patient]:
    """Replace each parameter with a victim id; ids of one URL belong to one patient."""
    names = [m.group("name") for m in PARAMETER.finditer(route)]
    chosen: dict[str, str] = {}
    owner = patient
    for name in sorted(names, key=lambda n: n == "patient_id"):  # the patient id last
        if name == "kind":
            chosen[name] = next((v for k, v in DOCUMENT_KINDS.items() if k in names), "x")
            continue
        obj = victim_object(name, clinic, owner if name != "patient_id" else None)
        if name == "patient_id":
            obj = owner
        elif obj is not None:
            owner = patient_of(obj) or owner
        chosen[name] = str(getattr(obj, "public_id", uuid.uuid4()))
    filled = PARAMETER.sub(lambda m: chosen[m.group("name")], route)
    return filled, bool(names), owner
