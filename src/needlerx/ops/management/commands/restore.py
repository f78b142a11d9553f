"""``needlerx restore FILE --yes``: replace the whole database with a backup.

SQLite: the backup's integrity is checked, then copied over the live database with the online
backup API. PostgreSQL: ``pg_restore --clean --single-transaction`` (all or nothing). The restore
is audited in the restored trail, and the trail is verified.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from needlerx.audit.chain import audit_chain_report
from needlerx.audit.commands import ServiceCommand
from needlerx.audit.services import audit_record
from needlerx.core.errors import ApplicationError
from needlerx.ops import backups


class Command(ServiceCommand):
    help = "Replace every record in the database with those in a backup file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--yes", action="store_true", help="confirm: replace all data")

    def run(self, **options: Any) -> None:
        backup: Path = options["file"]
        if not backup.is_file():
            raise ApplicationError(f"no such backup file: {backup}", field="file")
        if not options["yes"]:
            raise ApplicationError(
                "restore replaces every record in the database; add --yes to confirm", field="yes"
            )
        if backups.vendor() == "sqlite":
            backups.sqlite_restore(backup)
        else:
            backups.postgres_restore(backup)
        audit_record(action="backup.restore", detail={"file": backup.name})
        report = audit_chain_report()
        self.stdout.write(f"Restored {backup}.")
        if report.breaks:
            for item in report.breaks:
                self.stderr.write(str(item))
            raise ApplicationError("the restored audit trail is NOT intact (see above)")
        self.stdout.write(f"Audit trail intact: {report.events} events.")
