"""A migration operation that adds or drops only a field's own index.

Django's ``AlterField`` does more for a change of ``db_index``: on SQLite it copies the whole table
into a new one, and on PostgreSQL it drops a foreign key's constraint and adds it again, which
checks every row. On a clinic's database of a million measures (or audit events) either takes
long and holds the table. ``AlterFieldIndex`` changes the same state as ``AlterField`` and in the
database only the index: ``DROP INDEX`` or ``CREATE INDEX`` (on PostgreSQL a text column's index
has a twin for ``LIKE``, dropped and made with it). It refuses a change of anything but
``db_index``.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.migrations.operations import AlterField


def _own_index(field: models.Field[Any, Any]) -> bool:
    return bool(field.db_index)  # type: ignore[attr-defined]  # django-stubs leaves it out


def _without_db_index(field: models.Field[Any, Any]) -> tuple[str, dict[str, Any]]:
    _, path, _, keywords = field.deconstruct()
    keywords.pop("db_index", None)
    return path, keywords


class AlterFieldIndex(AlterField):
    """``AlterField`` for a field whose own index is added or dropped, and nothing else."""

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        self._alter_index(app_label, schema_editor, from_state, to_state)

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        self._alter_index(app_label, schema_editor, from_state, to_state)

    def _alter_index(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        model = to_state.apps.get_model(app_label, self.model_name)
        old = from_state.apps.get_model(app_label, self.model_name)._meta.get_field(self.name)
        new = model._meta.get_field(self.name)
        if _without_db_index(old) != _without_db_index(new):
            raise ValueError(
                f"AlterFieldIndex changes only the db_index of a field; "
                f"{self.model_name}.{self.name} changes more: use AlterField"
            )
        if _own_index(old) and not _own_index(new):
            meta_indexes = {index.name for index in model._meta.indexes}
            for name in schema_editor._constraint_names(
                model, [old.column], index=True, type_=models.Index.suffix, exclude=meta_indexes
            ):
                schema_editor.execute(schema_editor._delete_index_sql(model, name))
        elif _own_index(new) and not _own_index(old):
            schema_editor.execute(schema_editor._create_index_sql(model, fields=[new]))
            like = getattr(schema_editor, "_create_like_index_sql", None)  # PostgreSQL's alone
            if like is not None and (statement := like(model, new)) is not None:
                schema_editor.execute(statement)

    def describe(self) -> str:
        return f"Alter the own index of {self.model_name}.{self.name}"
