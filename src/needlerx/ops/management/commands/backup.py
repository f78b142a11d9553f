"""``needlerx backup [--output FILE]``: a consistent copy of the whole database, taken online.

SQLite: the online backup API, then ``PRAGMA integrity_check`` on the copy. PostgreSQL:
``pg_dump --format=custom``. The backup is audited (the event is inside the backup). The audit
key (NEEDLERX_AUDIT_KEY or the data directory's ``audit_key``) is not in the backup: keep it too,
in another place. The file is readable by the service account only (0600).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser
from django.utils import timezone

from needlerx.audit.chain import audit_chain_report
from needlerx.audit.commands import ServiceCommand
from needlerx.audit.services import audit_record
from needlerx.ops import backups


class Command(ServiceCommand):
    help = "Back up the whole database to a file (SQLite online backup or pg_dump)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", type=Path, help="file to write (default: data dir)")

    def run(self, **options: Any) -> None:
        stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
        target: Path = backups.new_backup_file(
            options["output"] or backups.default_backup_path(stamp)
        )
        try:
            audit_record(action="backup.create", detail={"file": target.name})
            head = audit_chain_report()
            if backups.vendor() == "sqlite":
                backups.sqlite_backup(target)
            else:
                backups.postgres_backup(target)
        except BaseException:
            target.unlink(missing_ok=True)  # no empty or partial backup left behind
            raise
        self.stdout.write(f"Backup written: {target}")
        self.stdout.write(f"Audit head at backup: #{head.head_sequence} {head.head_hash}")
