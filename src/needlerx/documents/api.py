"""The documents as PDFs for scripts: the same reads, permissions and export audit as the pages
(``documents.selectors``); an unknown kind answers 400 naming the kinds, a draft note 409."""

from __future__ import annotations

import uuid
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Router

from needlerx.accounts.http import request_user
from needlerx.core.responses import BAD_REQUEST, CONFLICT, NOT_FOUND, errors
from needlerx.documents.render import PDF, document_pdf
from needlerx.documents.selectors import (
    Document,
    episode_document_for_user,
    session_document_for_user,
)

router = Router(tags=["documents"])

EpisodeKind = Literal[
    "initial-evaluation", "progress-report", "discharge-summary", "home-exercise-programme"
]
SessionKind = Literal["session-note", "superbill"]
PDF_ANSWER: dict[str, Any] = {
    "responses": {
        200: {
            "description": "The document as a PDF (letter size), for printing or sending.",
            "content": {PDF: {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}
DOCUMENT_ERRORS = errors(BAD_REQUEST, NOT_FOUND, CONFLICT)


def pdf_response(document: Document) -> HttpResponse:
    response = HttpResponse(document_pdf(document), content_type=PDF)
    response["Content-Disposition"] = f'inline; filename="{document.filename}"'
    response["Cache-Control"] = "no-store"
    return response


@router.get(
    "/episodes/{episode_id}/documents/{kind}", response=DOCUMENT_ERRORS, openapi_extra=PDF_ANSWER
)
def episode_document(request: HttpRequest, episode_id: uuid.UUID, kind: EpisodeKind) -> Any:
    """An episode's initial evaluation, progress report, discharge summary or home exercise
    handout as a PDF (409 when the note it needs is not signed yet)."""
    document = episode_document_for_user(
        user=request_user(request), episode_id=episode_id, kind=kind
    )
    return pdf_response(document)


@router.get(
    "/sessions/{session_id}/documents/{kind}", response=DOCUMENT_ERRORS, openapi_extra=PDF_ANSWER
)
def session_document(request: HttpRequest, session_id: uuid.UUID, kind: SessionKind) -> Any:
    """A signed session note with its addenda, or its superbill, as a PDF (409 for a draft)."""
    document = session_document_for_user(
        user=request_user(request), session_id=session_id, kind=kind
    )
    return pdf_response(document)
