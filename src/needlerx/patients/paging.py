"""Pages of patients that cost the same on the last page as on the first.

A page far into a clinic's list (``OFFSET 16675``) makes the database step over every patient
before it. Reading whole rows to step over them costs a row read each (PostgreSQL: 14x a bare page
on the last page of 16,700 patients); stepping over index entries alone is cheap. So a page is
found by id first, in the list's order, from the (clinic, family name, given name, id) index
alone, and only the patients shown are read: one query, ``WHERE id IN (SELECT id ... LIMIT 25
OFFSET n)``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from needlerx.patients.models import Patient

if TYPE_CHECKING:
    PaginatorOfPatients = Paginator[Patient]
else:  # Paginator is generic only in the type stubs
    PaginatorOfPatients = Paginator


def patients_between(patients: QuerySet[Patient], start: int, stop: int) -> QuerySet[Patient]:
    """``patients[start:stop]`` in the same order (with their clinic), found by id first.

    The outer query names the ids alone: with the clinic filter too, SQLite walks the clinic in
    list order testing each id rather than reading the 25 it was given.
    """
    ids = patients.values("pk")[start:stop]
    shown = Patient.objects.filter(pk__in=ids).select_related("clinic")
    return shown.order_by(*patients.query.order_by)


class PatientPaginator(PaginatorOfPatients):
    """A paginator of a patient queryset whose pages are read by ``patients_between``; the
    total is ``total`` (the true total, known without counting) or a true count."""

    def __init__(
        self, patients: QuerySet[Patient], per_page: int, total: int | None = None
    ) -> None:
        super().__init__(patients, per_page)
        self.patients = patients
        if total is not None:
            self.count = total  # what Paginator.count (a cached property) would count

    def page(self, number: Any) -> Page[Patient]:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return Page(patients_between(self.patients, bottom, top), number, self)
