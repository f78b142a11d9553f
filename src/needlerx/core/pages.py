"""Pages of an API list: a page number from 1 and a page size kept within the list's bounds.
A paged answer carries ``count``, how many there are in all, so a list is never cut silently."""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model, QuerySet
from ninja import Schema

M = TypeVar("M", bound=Model)
PAGE_NUMBER_MAX = 1_000_000


class PageQuery(Schema):
    """``page`` (from 1) and ``page_size`` of a paged list; out-of-range values are brought
    within bounds, and a page past the last is empty (its ``count`` still true)."""

    page: int = 1
    page_size: int = 50


def page_number(asked: int) -> int:
    """The page asked for, kept within 1..PAGE_NUMBER_MAX."""
    return max(1, min(asked, PAGE_NUMBER_MAX))


def page_of(rows: QuerySet[M], query: PageQuery, *, largest: int) -> tuple[int, list[M]]:
    """How many ``rows`` there are in all, and the page ``query`` asks for (at most ``largest``
    rows)."""
    size = max(1, min(query.page_size, largest))
    start = (page_number(query.page) - 1) * size
    return rows.count(), list(rows[start : start + size])
