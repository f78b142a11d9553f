"""A document to PDF: its template rendered in the clinic's time zone and conventions, then laid
out by WeasyPrint. Nothing is fetched while laying out (the stylesheet and charts are inline)."""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import CSS, HTML

from needlerx.accounts.local import clinic_conventions
from needlerx.core.local import activated
from needlerx.documents.selectors import Document, document_export_record

PDF = "application/pdf"


def _no_fetching(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise ValueError(f"documents load nothing from outside: {url}")


def document_html(document: Document) -> str:
    """The document's HTML, with every date and time in the patient's clinic's conventions."""
    conventions = clinic_conventions(document.patient.clinic)
    with activated(conventions), timezone.override(conventions.zone):
        return render_to_string(document.template, document.context)


@cache
def _stylesheet() -> CSS:
    return CSS(string=files("needlerx.documents").joinpath("print.css").read_text("utf-8"))


def document_pdf(document: Document) -> bytes:
    """The PDF, and its export event (written only once the PDF exists: a failed layout is a
    server error that showed nothing)."""
    html = HTML(string=document_html(document), url_fetcher=_no_fetching)
    pdf = bytes(html.write_pdf(stylesheets=[_stylesheet()]) or b"")  # no target: the bytes
    document_export_record(document)
    return pdf
