"""Files only the service account may read: the database, its backups and the keys.

They hold every patient record (the database and backups) or can forge the audit trail's seal
and sessions (the keys). Each is created with mode 0600 from its first byte (``O_EXCL`` and an
explicit mode, so there is no moment when another account can open it), and the data directory
and the backup directory NeedleRx creates are 0700. A file or directory that already exists and
belongs to the service account is tightened to the same modes; one owned by another account is
left to its owner (the operator chose it).

Plain Python (no Django): ``settings`` calls it before Django is set up.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

OWNER_ONLY_FILE = 0o600
OWNER_ONLY_DIRECTORY = 0o700


def _owned_by_this_account(path: Path) -> bool:
    return path.stat().st_uid == os.getuid()


def _tighten(path: Path, mode: int) -> None:
    if stat.S_IMODE(path.stat().st_mode) != mode and _owned_by_this_account(path):
        path.chmod(mode)


def private_directory(path: Path) -> Path:
    """``path`` (and missing parents) as a directory only the service account can enter."""
    if not path.exists():
        path.mkdir(parents=True, mode=OWNER_ONLY_DIRECTORY)
    _tighten(path, OWNER_ONLY_DIRECTORY)
    return path


def create_private_file(path: Path, text: str = "") -> Path:
    """Create ``path`` readable and writable by the service account only; refuse if it exists
    (``FileExistsError``)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, OWNER_ONLY_FILE)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(text)
    return path


def publish_private_file(path: Path, text: str) -> Path:
    """Create ``path`` (0600) holding ``text`` whole, or refuse if it exists
    (``FileExistsError``): written under a temporary name, then linked into place, so a process
    starting at the same moment never reads it empty or half-written."""
    draft = path.with_name(f".{path.name}.{os.getpid()}.draft")
    draft.unlink(missing_ok=True)
    create_private_file(draft, text)
    try:
        os.link(draft, path)
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links: create it in place
        create_private_file(path, text)
    finally:
        draft.unlink()
    return path


def private_file(path: Path) -> Path:
    """``path`` as a file only the service account can read: created empty if missing (SQLite
    then creates its -wal and -shm files with the same mode), tightened if it exists."""
    try:
        create_private_file(path)
    except FileExistsError:
        _tighten(path, OWNER_ONLY_FILE)
    return path
