"""What the benchmark times: the main pages and every list endpoint of the API, found in the app.

Named pages come from the URL names; pages about follow-ups, appointments and the clinic dashboard
are found by name in the URLconf, so a page added later is timed without changing the benchmark;
API list endpoints are read from the OpenAPI document (every GET answering a list or a page).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.urls import URLPattern, URLResolver, get_resolver, reverse

from bench.bare_page import BARE_PAGE_URL
from bench.subject import Subject

BASELINE = "bare signed-in page"
DISCOVERED_PAGE_WORDS = ("follow", "appointment", "dashboard")
DEFAULT_PAGE_SIZE = 25

Get = Callable[[str], Any]


@dataclass(frozen=True)
class Page:
    name: str
    url: str


def _url(name: str, subject: Subject, query: dict[str, str] | None = None) -> str:
    arguments = subject.url_arguments()
    path = reverse(name, kwargs={k: arguments[k] for k in _parameters_of(name)})
    return path + (f"?{urlencode(query)}" if query else "")


def _parameters_of(name: str) -> list[str]:
    return next((params for found, params in _named_routes() if found == name), [])


def _named_routes(
    resolver: URLResolver | None = None, namespace: str = "", params: tuple[str, ...] = ()
) -> Iterator[tuple[str, list[str]]]:
    """(namespaced URL name, its parameter names) for every named route."""
    for entry in (resolver or get_resolver()).url_patterns:
        own = tuple(getattr(entry.pattern, "converters", {}) or entry.pattern.regex.groupindex)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _named_routes(entry, inner, params + own)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", [*params, *own]


def _last_page(total: int, page_size: int) -> str:
    return str(max(1, math.ceil(total / page_size)))


def web_pages(subject: Subject, patient_total: int) -> list[Page]:
    patient = subject.patient
    page_size = _web_page_size()
    pages = [
        Page(BASELINE, BARE_PAGE_URL),
        Page("health check (not signed in)", reverse("health")),
        Page("clinic home", _url("home", subject)),
        Page("patient list, first page", _url("patients:list", subject)),
        Page(
            "patient list, last page",
            _url("patients:list", subject, {"page": _last_page(patient_total, page_size)}),
        ),
        Page("search by name", _url("patients:list", subject, {"q": patient.family_name})),
        Page("search by MRN", _url("patients:list", subject, {"q": patient.medical_record_number})),
        Page(
            "search by date of birth",
            _url("patients:list", subject, {"q": patient.date_of_birth.isoformat()}),
        ),
        Page("patient chart", _url("patients:detail", subject)),
        Page("evaluation", _url("patients:evaluation", subject)),
        Page("signed session note", _url("clinic:session", subject)),
        Page("session note, a draft", _draft_url(subject)),
        # The same draft opened to change today's muscles: the body chart and its list.
        Page("session note, choosing muscles", _draft_url(subject) + "?muscles=change"),
        Page("progress", _url("clinic:progress", subject)),
        # The clinic dashboard's figures as JSON (not a list, so not found by api_list_pages);
        # the page itself is found by its URL name (outcomes_dashboard).
        Page("API clinic outcomes", f"/api/v1/clinics/{subject.patient.clinic.public_id}/outcomes"),
    ]
    return pages + list(_discovered_pages(subject))


def _draft_url(subject: Subject) -> str:
    draft = subject.draft
    return reverse(
        "clinic:session",
        kwargs={"patient_id": str(draft.patient.public_id), "session_id": str(draft.public_id)},
    )


def _web_page_size() -> int:
    from needlerx.web.pages import patients

    return int(getattr(patients, "PAGE_SIZE", DEFAULT_PAGE_SIZE))


def _discovered_pages(subject: Subject) -> Iterator[Page]:
    known = subject.url_arguments()
    for name, params in _named_routes():
        if name.startswith("api") or not any(w in name for w in DISCOVERED_PAGE_WORDS):
            continue
        if all(p in known for p in params):
            label = name.split(":")[-1].replace("_", " ")
            yield Page(label, reverse(name, kwargs={p: known[p] for p in params}))


def api_list_pages(get: Get, subject: Subject, openapi_url: str) -> list[Page]:
    """Every GET of the API that answers a list or a page of results, with known parameters."""
    document = get(openapi_url).json()
    known = subject.url_arguments()
    pages: list[Page] = []
    for path, operations in document["paths"].items():
        operation = operations.get("get")
        if operation is None or not answers_a_list(operation, document):
            continue
        try:
            url = path.format(**known)
        except KeyError:
            continue  # a parameter the benchmark has no record for
        label = f"API {path.removeprefix(openapi_url.rsplit('/', 1)[0])}"
        pages.append(Page(label, url))
        if _is_paged(operation, document):
            pages.append(_api_last_page(get, label, url))
    return pages


def _answer_schema(operation: dict[str, Any], document: dict[str, Any]) -> dict[str, Any]:
    answer = operation["responses"].get("200", {})
    schema: dict[str, Any] = answer.get("content", {}).get("application/json", {}).get("schema", {})
    if "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def answers_a_list(operation: dict[str, Any], document: dict[str, Any]) -> bool:
    """The GET answers a list, or a page of results (``tests/web/test_api_list_query_counts``
    measures the same lists)."""
    schema = _answer_schema(operation, document)
    return schema.get("type") == "array" or _is_paged(operation, document)


def _is_paged(operation: dict[str, Any], document: dict[str, Any]) -> bool:
    return "results" in _answer_schema(operation, document).get("properties", {})


def _api_last_page(get: Get, label: str, url: str) -> Page:
    total = int(get(url).json()["count"])
    last = _last_page(total, DEFAULT_PAGE_SIZE)
    query = urlencode({"page": last, "page_size": DEFAULT_PAGE_SIZE})
    return Page(f"{label} (last page)", f"{url}?{query}")
