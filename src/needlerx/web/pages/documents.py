"""PDF documents under the patient's pages: the same reads, permissions and export audit as the
API (``needlerx.documents``). A document that needs a signed note it does not have answers 409
with a page that says what to sign first."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from needlerx.accounts.http import request_user
from needlerx.core.errors import ApplicationError, NotFound, PermissionDenied
from needlerx.documents.api import pdf_response
from needlerx.documents.selectors import (
    CONFLICT,
    Document,
    episode_document_for_user,
    session_document_for_user,
)


def _not_ready(request: HttpRequest, error: ApplicationError) -> HttpResponse:
    context = {"title": "This document cannot be printed yet", "message": error.message}
    return render(request, "web/error.html", context, status=409)


def _answer(request: HttpRequest, build: Callable[[], Document]) -> HttpResponse:
    try:
        document = build()
    except (NotFound, PermissionDenied):
        raise
    except ApplicationError as error:
        if error.code != CONFLICT:
            raise
        return _not_ready(request, error)
    return pdf_response(document)


@login_required
@require_GET
def episode_document(
    request: HttpRequest, patient_id: uuid.UUID, episode_id: uuid.UUID, kind: str
) -> HttpResponse:
    user = request_user(request)
    return _answer(
        request,
        lambda: episode_document_for_user(
            user=user, episode_id=episode_id, kind=kind, patient_id=patient_id
        ),
    )


@login_required
@require_GET
def session_document(
    request: HttpRequest, patient_id: uuid.UUID, session_id: uuid.UUID, kind: str
) -> HttpResponse:
    user = request_user(request)
    return _answer(
        request,
        lambda: session_document_for_user(
            user=user, session_id=session_id, kind=kind, patient_id=patient_id
        ),
    )
