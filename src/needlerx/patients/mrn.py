"""Medical record numbers as one spelling: the form they are stored, compared and searched in.

A clinic's MRN is typed, pasted from another system or scanned; the same number can arrive as
``aus-000014``, ``AUS-000014 `` or ``AUS`` U+2010 HYPHEN ``000014``. Each is normalised to one
spelling before it is stored or searched, so two patients cannot share a number that only looks
different, and a search finds the patient however the number was typed:

1. Unicode NFKC (full-width letters and digits, compatibility forms such as U+FE63 become ASCII);
2. invisible format characters (zero-width spaces and joiners, soft hyphen, direction overrides)
   are removed;
3. every dash or hyphen look-alike (Unicode category Pd, and the minus signs) becomes ``-``;
4. white space is trimmed and each run of it becomes one space;
5. letters are upper case.
"""

from __future__ import annotations

import unicodedata

# Characters drawn like a hyphen that are not dash punctuation (category Pd) in Unicode.
MINUS_SIGNS = frozenset({"\u2212", "\u2796", "\u02d7", "\u2043"})


def _as_hyphen(character: str) -> str:
    if character in MINUS_SIGNS or unicodedata.category(character) == "Pd":
        return "-"
    return character


def normalise_medical_record_number(value: str) -> str:
    """The one spelling of ``value`` that is stored and compared (see the module docstring)."""
    text = unicodedata.normalize("NFKC", value)
    visible = "".join(_as_hyphen(c) for c in text if unicodedata.category(c) != "Cf")
    return " ".join(visible.split()).upper()
