"""``needlerx followups --user NAME``: needling sessions whose 24-72 h follow-up is due."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import CommandParser
from django.utils import timezone

from needlerx.accounts.selectors import active_user_get
from needlerx.audit.commands import ServiceCommand
from needlerx.core.local import format_datetime
from needlerx.treatments.selectors import FollowUpDue, followups_due_page_for_user
from needlerx.treatments.selectors.followups import FOLLOW_UPS_PER_PAGE_MAX


class Command(ServiceCommand):
    help = (
        "List needling sessions in the user's clinics with no completed follow-up: 'due' 24-72 h "
        "after the session, 'overdue' after that (adverse_events.yaml). Every one is listed, "
        "oldest first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", required=True, help="username of the person asking")
        parser.add_argument("--json", action="store_true", help="print JSON lines")
        parser.add_argument(
            "--include-upcoming", action="store_true", help="also list sessions under 24 h old"
        )

    def run(self, **options: Any) -> None:
        user = active_user_get(username=options["user"])
        number, listed, now = 1, 0, timezone.now()
        while True:
            page = followups_due_page_for_user(
                user=user,
                page=number,
                per_page=FOLLOW_UPS_PER_PAGE_MAX,
                now=now,
                include_upcoming=options["include_upcoming"],
            )
            for item in page.items:
                self._write(item, as_json=options["json"])
            listed += len(page.items)
            if not page.has_next:
                break
            number += 1
        if not options["json"]:
            self.stderr.write(f"{listed} follow-up(s) due.")

    def _write(self, item: FollowUpDue, *, as_json: bool) -> None:
        session = item.session
        row: dict[str, Any] = {
            "session_id": str(session.public_id),
            "patient": session.patient.full_name,
            "mrn": session.patient.medical_record_number,
            "clinic": session.clinic_name,
            "needled_at": session.started_at.isoformat(),
            "status": item.status,
            "due_by": item.due_by.isoformat(),
            "attempts": item.attempts,
        }
        if as_json:
            self.stdout.write(json.dumps(row))
        else:
            # For people: the session's time in its clinic's zone (JSON keeps ISO with offset).
            needled = format_datetime(session.started_at, session.conventions)
            self.stdout.write(
                f"{item.status:<11} {needled}  {row['mrn']:<12} "
                f"{row['patient']:<30} {row['clinic']}  (session {row['session_id']})"
            )
