"""``needlerx restore FILE --yes``: replace the whole database with a backup.

Before anything changes, the file must be a NeedleRx backup of the live database's schema (the
same applied migrations; SQLite: it also passes ``PRAGMA integrity_check``): anything else is
refused with exit status 2. Then a safety backup of the current data is taken into the data
directory's ``backups/`` (``needlerx-<time>-before-restore``), so a restore of the wrong file can
be undone. SQLite: the backup is copied over the live database with the online backup API in one
step. PostgreSQL: ``pg_restore --clean --single-transaction`` (all or nothing).

The restored trail gets a ``backup.restore`` event naming the file, the safety backup and the
head of the trail it replaced (``#N hash``): the events after the backup's head are not in the
restored trail, but the safety backup holds them and the event says where the old chain ended.
The restored trail is then verified.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser
from django.utils import timezone

from needlerx.audit.chain import audit_chain_report
from needlerx.audit.commands import ServiceCommand
from needlerx.audit.models import AuditEvent
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
        backups.require_compatible_backup(backup)
        replaced = _head()
        safety = self._safety_backup()
        if backups.vendor() == "sqlite":
            backups.sqlite_restore(backup)
        else:
            backups.postgres_restore(backup)
        audit_record(
            action="backup.restore",
            detail={"file": backup.name, "safety_backup": safety.name, "replaced_head": replaced},
        )
        report = audit_chain_report()
        self.stdout.write(f"Restored {backup}.")
        if report.breaks:
            for item in report.breaks:
                self.stderr.write(str(item))
            raise ApplicationError("the restored audit trail is NOT intact (see above)")
        self.stdout.write(f"Audit trail intact: {report.events} events.")

    def _safety_backup(self) -> Path:
        """A backup of the data about to be replaced (audited inside it, as ``needlerx backup``)."""
        stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
        path = backups.default_backup_path(stamp)
        target = backups.new_backup_file(path.with_name(f"{path.stem}-before-restore{path.suffix}"))
        try:
            audit_record(action="backup.create", detail={"file": target.name, "before": "restore"})
            if backups.vendor() == "sqlite":
                backups.sqlite_backup(target)
            else:
                backups.postgres_backup(target)
        except BaseException:
            target.unlink(missing_ok=True)
            raise
        self.stdout.write(f"Safety backup of the replaced data: {target}")
        return target


def _head() -> str:
    """The newest event of the trail about to be replaced, as ``#N hash``."""
    head = AuditEvent.objects.order_by("-sequence").first()
    return f"#{head.sequence} {head.content_hash}" if head else "empty"
