from __future__ import annotations

from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    """Paper that leaves the clinic: PDFs of the evaluation, the signed note, the progress report,
    the discharge summary, the superbill and the home exercise handout (docs/documents.md)."""

    name = "needlerx.documents"
    label = "documents"
