"""Attribute every audit event to its request, and audit refused or probing requests.

Each request gets a request id (also sent back as ``X-Request-ID``), the client address and the
user agent. The patient data the request's selectors read is written as view events when the
answer is ready (``audit.reads``). A 403 answer is audited as ``access.denied``; a 404 for a URL
that carries an id (e.g. another clinic's patient) by a signed-in user is audited as
``access.not_found``; both name the patient when a selector knew it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

from needlerx.audit.context import ReadScope, origin, read_scope
from needlerx.audit.reads import read_scope_close
from needlerx.audit.services import audit_denial

SERVER_ERROR = 500


def client_address(request: HttpRequest) -> str:
    """REMOTE_ADDR, or the address the trusted reverse proxy appended to X-Forwarded-For."""
    if getattr(settings, "TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return str(hops[-1])[:64]
    return str(request.META.get("REMOTE_ADDR", ""))[:64]


def _is_probe(request: HttpRequest, status: int) -> bool:
    if status == 403:
        return True
    if status != 404:
        return False
    user = getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    return bool(user is not None and user.is_authenticated and match and match.kwargs)


class AuditMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        request_id = uuid.uuid4().hex
        with origin(
            request_id=request_id,
            client_address=client_address(request),
            user_agent=str(request.META.get("HTTP_USER_AGENT", ""))[:300],
            command="",
        ):
            with read_scope(path=request.path[:500]) as reads:
                response = self.get_response(request)
            _record(request, response.status_code, reads)
        response["X-Request-ID"] = request_id
        return response


def _record(request: HttpRequest, status: int, reads: ReadScope) -> None:
    """The request's reads as view events; a refusal as one event naming the patient if known."""
    if _is_probe(request, status):
        known = reads.refused or next((view.patient for view in reads.views.values()), None)
        audit_denial(request, status=status, patient=known)
    elif status < SERVER_ERROR:
        read_scope_close(reads)
