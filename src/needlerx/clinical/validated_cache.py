"""Reference files validated once and kept for the next run of ``needlerx screen`` or ``score``.

Validating the clinical data files (building each pydantic model's validator, then checking every
file against it) is most of what those commands spend before they answer. With a cache directory
named (the command line names one; the web app does not), a file's validated model is kept there
and read back by later runs instead of being validated again.

An entry is found by the file's bytes, the model, the source of the clinical core (which holds
the models and their checks) and the Python and pydantic versions, so a changed data file or
schema is validated afresh; an entry that cannot be read is validated afresh and rewritten. The
entries are pickles, so they are only read from a directory that belongs to the user running
NeedleRx and that nobody else may write to (created 0700); any other directory is not used.
Checks that span several files (in ``reference/catalogue.py``) run on every load either way.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import stat
import sys
import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TypeVar

import pydantic

CORE_DIR = Path(__file__).resolve().parent
ENTRY_SUFFIX = ".pickle"
T = TypeVar("T")

_directory: Path | None = None


def default_directory() -> Path | None:
    """``NEEDLERX_CACHE_DIR`` (empty: no cache), else ``$XDG_CACHE_HOME/needlerx`` or
    ``~/.cache/needlerx``."""
    named = os.environ.get("NEEDLERX_CACHE_DIR")
    if named is not None:
        return Path(named) if named.strip() else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "needlerx"


def keep_validated_files_in(directory: Path | None) -> None:
    """Keep validated files in ``directory`` from now on in this process (``None``: do not)."""
    global _directory
    _directory = None if directory is None else directory / "validated-reference"


def code_fingerprint(core_dir: Path = CORE_DIR) -> str:
    """What the validated models depend on besides the file: the clinical core's source (models,
    validators, vocabularies) and the versions of Python and pydantic."""
    digest = hashlib.sha256(f"{sys.version}\0{pydantic.VERSION}\0".encode())
    for source in sorted(core_dir.rglob("*.py")):
        digest.update(source.relative_to(core_dir).as_posix().encode() + b"\0")
        digest.update(source.read_bytes() + b"\0")
    return digest.hexdigest()[:24]


_fingerprint = cache(code_fingerprint)


def validated(model: type[T], data: bytes, validate: Callable[[bytes], T]) -> T:
    """``validate(data)``, or what it returned in an earlier run for the same bytes and code."""
    directory = _private_directory()
    if directory is None:
        return validate(data)
    entry = directory / f"{_entry_name(model, data)}{ENTRY_SUFFIX}"
    found = _read(entry)
    if type(found) is model:
        return found
    value = validate(data)  # raises for an invalid file, which is never kept
    _write(entry, value)
    return value


def _entry_name(model: type, data: bytes) -> str:
    digest = hashlib.sha256(f"{model.__module__}.{model.__qualname__}\0".encode())
    digest.update(data)
    return digest.hexdigest()[:32]


def _private_directory() -> Path | None:
    """This code's folder of the cache directory, made if missing, or ``None`` when there is no
    cache directory or it is not private to this user."""
    if _directory is None:
        return None
    folder = _directory / _fingerprint()
    try:
        if not folder.is_dir():
            _directory.mkdir(parents=True, exist_ok=True, mode=0o700)
            folder.mkdir(mode=0o700)
            _remove_other_versions(folder)
        if not all(_private(place) for place in (_directory, folder)):
            return None
    except OSError:
        return None
    return folder


def _private(directory: Path) -> bool:
    status = directory.stat()
    writable_by_others = status.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
    return stat.S_ISDIR(status.st_mode) and status.st_uid == os.getuid() and not writable_by_others


def _remove_other_versions(folder: Path) -> None:
    """Entries of other code are never read again: a new version's folder replaces them."""
    for other in folder.parent.iterdir():
        if other != folder and other.is_dir() and not other.is_symlink():
            shutil.rmtree(other, ignore_errors=True)


def _read(entry: Path) -> object:
    try:
        data = entry.read_bytes()
    except OSError:
        return None
    try:
        return pickle.loads(data)  # noqa: S301 - written by this user into a private folder
    except Exception:  # a damaged or outdated entry, whatever it raises, is validated afresh
        return None


def _write(entry: Path, value: object) -> None:
    """Write the entry whole or not at all (a reader never sees half of one)."""
    try:
        handle, temporary = tempfile.mkstemp(dir=entry.parent, suffix=".partial")
    except OSError:
        return
    try:
        with os.fdopen(handle, "wb") as file:
            pickle.dump(value, file, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, entry)
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        Path(temporary).unlink(missing_ok=True)
