"""No index whose work another index already does.

An index on a foreign key (Django gives every ForeignKey one) is redundant when another index
of the table starts with the same column: every read that could use the short one can use the
long one. A redundant index still costs on every insert and update, on disk and in the page
cache, so a model says ``db_index=False`` on such a key (with a comment naming the index that
serves it). The check reads the models, where Django knows which indexes are partial (a partial
index serves only the reads that repeat its condition, so it never makes another redundant).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.apps import apps
from django.db import models
from django.test.utils import isolate_apps


@dataclass(frozen=True)
class TableIndex:
    name: str
    columns: tuple[str, ...]
    removable: bool  # an index of its own (not one that enforces uniqueness)


def _column(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name.lstrip("-"))
    assert isinstance(field, models.Field) and field.column
    return field.column


def _columns(model: type[models.Model], names: Sequence[str]) -> tuple[str, ...]:
    return tuple(_column(model, name) for name in names)


def table_indexes(model: type[models.Model]) -> list[TableIndex]:
    """Every whole-table index of the model's table (partial and expression indexes left out)."""
    found = []
    for field in model._meta.local_concrete_fields:
        if field.primary_key:
            continue
        if field.unique:
            found.append(TableIndex(f"{field.name} (unique)", (field.column,), removable=False))
        elif field.db_index:  # type: ignore[attr-defined]  # django-stubs leaves it out
            found.append(TableIndex(f"{field.name} (its own index)", (field.column,), True))
    for index in model._meta.indexes:
        if index.fields and index.condition is None:
            found.append(TableIndex(index.name, _columns(model, index.fields), removable=True))
    for constraint in model._meta.constraints:
        if not isinstance(constraint, models.UniqueConstraint):
            continue
        if constraint.fields and constraint.condition is None:
            columns = _columns(model, constraint.fields)
            found.append(TableIndex(constraint.name, columns, removable=False))
    for together in model._meta.unique_together:
        found.append(TableIndex(f"unique {together}", _columns(model, together), False))
    return found


def redundant_indexes(model: type[models.Model]) -> list[str]:
    indexes = table_indexes(model)
    return [
        f"{model._meta.db_table}: {index.name} {index.columns} is served by "
        f"{other.name} {other.columns}"
        for index in indexes
        if index.removable
        for other in indexes
        if other is not index
        and len(other.columns) >= len(index.columns)
        and other.columns[: len(index.columns)] == index.columns
        and (len(other.columns) > len(index.columns) or not other.removable)
    ]


def test_no_table_of_needlerx_keeps_an_index_another_index_already_serves():
    models_of_needlerx = [
        model
        for model in apps.get_models()
        if model.__module__.startswith("needlerx.") and not model._meta.proxy
    ]
    assert len(models_of_needlerx) > 30
    found = [line for model in models_of_needlerx for line in redundant_indexes(model)]
    assert found == []


@isolate_apps("needlerx.patients")
def test_the_check_finds_a_foreign_key_index_that_a_longer_index_starts_with():
    """The check itself can fail: a model like the ones it reads, with the fault put in."""

    class Visit(models.Model):  # noqa: DJ008 - never shown
        patient = models.ForeignKey("patients.Patient", on_delete=models.CASCADE)
        clinic = models.ForeignKey("accounts.Clinic", on_delete=models.CASCADE, db_index=False)
        starts_at = models.DateTimeField()

        class Meta:
            app_label = "patients"
            indexes = [
                models.Index(fields=["patient", "-starts_at"], name="visit_patient"),
                models.Index(
                    fields=["clinic", "starts_at"],
                    name="visit_clinic_open",
                    condition=models.Q(starts_at__isnull=False),
                ),
            ]

    assert redundant_indexes(Visit) == [
        "patients_visit: patient (its own index) ('patient_id',) is served by "
        "visit_patient ('patient_id', 'starts_at')"
    ]
