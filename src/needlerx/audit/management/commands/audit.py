"""``needlerx audit verify``: check the audit trail's hash chain and seals, name each bad row.

Exit 0 when intact; exit 1 with one line per problem on stderr. ``--anchor SEQ:HASH`` also checks
that event SEQ still has the hash you noted earlier (this catches deletion of the newest events,
which no chain can show on its own: note the head that ``verify`` prints, e.g. in a backup log).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from needlerx.audit.chain import audit_chain_report
from needlerx.audit.models import AuditEvent


def _parse_anchor(raw: str) -> tuple[int, str]:
    sequence, _, digest = raw.partition(":")
    if not sequence.isdigit() or len(digest) != 64:
        raise CommandError(
            f"--anchor must be SEQUENCE:SHA256 as printed by `needlerx audit verify` (got {raw!r})",
            returncode=2,
        )
    return int(sequence), digest.lower()


class Command(BaseCommand):
    help = "Audit trail tools. `needlerx audit verify` checks the hash chain and names bad rows."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        verify = actions.add_parser("verify", help="check every event's hash, seal and link")
        verify.add_argument(
            "--anchor",
            action="append",
            default=[],
            metavar="SEQ:HASH",
            help="an event's sequence and hash noted earlier; it must still be there",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        anchors = [_parse_anchor(raw) for raw in options["anchor"]]
        report = audit_chain_report()
        problems = [str(item) for item in report.breaks]
        for sequence, digest in anchors:
            stored = (
                AuditEvent.objects.filter(sequence=sequence)
                .values_list("content_hash", flat=True)
                .first()
            )
            if stored is None:
                problems.append(f"event #{sequence}: anchored event is missing (deleted)")
            elif stored != digest:
                problems.append(f"event #{sequence}: hash differs from the anchor (rewritten)")
        for line in problems:
            self.stderr.write(line)
        if problems:
            raise CommandError(
                f"audit trail is NOT intact: {len(problems)} problem(s) in {report.events} events",
                returncode=1,
            )
        self.stdout.write(
            f"Audit trail intact: {report.events} events; head #{report.head_sequence} "
            f"{report.head_hash}"
        )
