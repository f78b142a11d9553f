"""Patient search: what a search term means, and the keys that let an index answer it.

A clinic-network holds tens of thousands of patients, so a search must never read them all.
Case-insensitive matching (``istartswith``, ``iexact``) cannot use a plain index on either
database, so each patient carries two search keys written when the patient is saved:

- ``search_family_given``: "family given", lower case, accents folded ("García, José" becomes
  ``garcia jose``);
- ``search_given_family``: the same in the other order (``jose garcia``).

A search term is folded the same way and matched as a prefix of either key, so "garc",
"jose g", "García J" and "JOSE" all find the patient. The prefix match (``KeyStartsWith``) is
written so that a b-tree index on ``(clinic, key)`` answers it on both databases: a range
(``key >= 'garc' AND key < 'gard'``) on SQLite, and ``LIKE 'garc%'`` on PostgreSQL, where the index
uses the ``varchar_pattern_ops`` operator class (a LIKE prefix cannot use an index in the
database's own collation).

A term that is a date (``1980-05-17`` or ``05/17/1980``) finds patients born that day; any term is
also compared, normalised (``patients.mrn``), with the medical record number, which the unique
index on ``(clinic, medical_record_number)`` answers.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import unicodedata
from collections.abc import Collection
from typing import TYPE_CHECKING, Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import F, Lookup, Q
from django.db.models.sql.compiler import SQLCompiler

from needlerx.patients.mrn import normalise_medical_record_number

if TYPE_CHECKING:
    TextLookup = Lookup[str]
else:  # Lookup is generic only in the type stubs
    TextLookup = Lookup

SEARCH_KEY_LENGTH = 255
# Dropped, not turned into a space, so "O'Brien", "OBrien" and "O" U+2019 "Brien" are one key.
APOSTROPHES = frozenset("'\u2019\u02bc\u2018`")
US_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def search_key(text: str) -> str:
    """``text`` folded for matching: lower case, accents and apostrophes removed, any other
    punctuation or white space as single spaces."""
    kept = []
    for character in unicodedata.normalize("NFKD", text):
        if unicodedata.category(character) == "Mn" or character in APOSTROPHES:
            continue
        kept.append(character if character.isalnum() else " ")
    return " ".join("".join(kept).casefold().split())[:SEARCH_KEY_LENGTH]


def patient_search_keys(*, given_name: str, family_name: str) -> dict[str, str]:
    """The two stored search keys of a patient with these names (field name -> key)."""
    given, family = search_key(given_name), search_key(family_name)
    return {
        "search_family_given": f"{family} {given}".strip()[:SEARCH_KEY_LENGTH],
        "search_given_family": f"{given} {family}".strip()[:SEARCH_KEY_LENGTH],
    }


def date_in_term(term: str) -> dt.date | None:
    """The date a search term names, as ISO (YYYY-MM-DD) or US (MM/DD/YYYY); else None."""
    try:
        return dt.date.fromisoformat(term) if "-" in term else _us_date(term)
    except ValueError:
        return None


def _us_date(term: str) -> dt.date | None:
    match = US_DATE.fullmatch(term)
    if match is None:
        return None
    month, day, year = (int(part) for part in match.groups())
    return dt.date(year, month, day)


def patient_search_condition(term: str, *, clinic_ids: Collection[int]) -> Q:
    """Patients of ``clinic_ids`` matching ``term``: exact MRN, date of birth or a name prefix.

    Each alternative carries the clinic filter itself, so each is answered by its own index led
    by the clinic and the databases combine the answers (SQLite's multi-index OR, PostgreSQL's
    BitmapOr). With the clinic filter outside the alternatives, SQLite without statistics (a
    database never analysed) reads every patient of the clinic through the clinic index instead.
    """
    in_clinics = Q(clinic_id__in=clinic_ids)
    condition = in_clinics & Q(medical_record_number=normalise_medical_record_number(term))
    born = date_in_term(term)
    if born is not None:
        return condition | (in_clinics & Q(date_of_birth=born))
    key = search_key(term)
    if key:
        for column in ("search_family_given", "search_given_family"):
            condition |= in_clinics & Q(KeyStartsWith(F(column), key))
    return condition


class KeyStartsWith(TextLookup):
    """The column begins with the (already folded) text, in a form a b-tree index answers.

    SQLite: ``col >= 'garc' AND col < 'gard'`` (binary collation, so the range is exactly the
    prefix). PostgreSQL: ``col LIKE 'garc%'`` with a ``varchar_pattern_ops`` index.
    """

    lookup_name = "key_startswith"
    prepare_rhs = False
    can_use_none_as_rhs = False

    def as_sql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> Any:
        column, params = self.process_lhs(compiler, connection)
        prefix = str(self.rhs)
        if connection.vendor == "postgresql":
            pattern = connection.ops.prep_for_like_query(prefix) + "%"
            return f"{column} LIKE %s", (*params, pattern)
        after = _after(prefix)
        if after is None:
            return f"{column} >= %s", (*params, prefix)
        return f"({column} >= %s AND {column} < %s)", (*params, prefix, *params, after)


def _after(prefix: str) -> str | None:
    """The least string greater than every string that starts with ``prefix`` (None if every
    character is the last code point, so no string is)."""
    kept = prefix.rstrip(chr(sys.maxunicode))
    if not kept:
        return None
    return kept[:-1] + chr(ord(kept[-1]) + 1)
