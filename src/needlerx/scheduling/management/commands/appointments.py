"""``needlerx appointments``: the appointment book through the same services as the web and API.

needlerx appointments list --user frank [--date 2026-12-01] [--days 7]
needlerx appointments book --user frank --input booking.json   (the body of POST /appointments)
needlerx appointments status --user frank --appointment ID --status arrived
needlerx appointments send-reminders [--for-date 2026-12-01]   (default: tomorrow)

Bad input exits with status 2 and the field at fault on stderr; nothing is saved.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import CommandParser
from django.utils import timezone

from needlerx.accounts.local import clinic_today
from needlerx.accounts.selectors import active_user_get
from needlerx.audit.commands import ServiceCommand
from needlerx.core.errors import ApplicationError
from needlerx.core.inputs import parse_input, read_input
from needlerx.core.local import day_start
from needlerx.scheduling import selectors, services
from needlerx.scheduling.reminders import reminders_send
from needlerx.scheduling.responses import appointment_out
from needlerx.scheduling.schemas import AppointmentBookIn, AppointmentStatusIn
from needlerx.scheduling.times import clinic_zone

ACTIONS = ("list", "book", "status", "send-reminders")


def _date(value: str, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ApplicationError(f"must be a date YYYY-MM-DD (got {value!r})", field=field) from None


class Command(ServiceCommand):
    help = "List, book or change the status of appointments, or send tomorrow's reminders."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        for name in ACTIONS:
            action = actions.add_parser(name)
            if name != "send-reminders":
                action.add_argument("--user", required=True, help="username of the person asking")
        actions.choices["list"].add_argument("--date", help="first day, YYYY-MM-DD (today)")
        actions.choices["list"].add_argument("--days", type=int, default=1)
        actions.choices["book"].add_argument("--input", required=True, help='JSON, "-" for stdin')
        actions.choices["status"].add_argument("--appointment", required=True)
        actions.choices["status"].add_argument("--status", required=True)
        actions.choices["status"].add_argument("--reason", default="")
        actions.choices["send-reminders"].add_argument(
            "--for-date", help="the day of the appointments, YYYY-MM-DD (default: tomorrow)"
        )

    def run(self, **options: Any) -> None:
        action = options["action"]
        if action == "send-reminders":
            self._send_reminders(options.get("for_date"))
            return
        user = active_user_get(username=options["user"])
        if action == "list":
            self._list(user, options)
        elif action == "book":
            self._book(user, options["input"])
        else:
            payload = parse_input(
                AppointmentStatusIn, {"status": options["status"], "reason": options["reason"]}
            )
            appointment = selectors.appointment_get_for_user(
                user=user, public_id=options["appointment"]
            )
            changed = services.appointment_status_set(
                actor=user, appointment=appointment, status=payload.status, reason=payload.reason
            )
            self._write(changed)

    def _list(self, user: Any, options: dict[str, Any]) -> None:
        clinic = selectors.booking_clinic_for_user(user=user)
        first = _date(options["date"], "date") if options["date"] else clinic_today(clinic)
        days, zone, number = max(1, min(options["days"], 62)), clinic_zone(clinic), 1
        while True:
            page = selectors.appointment_page_for_user(
                user=user,
                starts_from=day_start(first, zone),
                starts_before=day_start(first + dt.timedelta(days=days), zone),
                page=number,
                per_page=selectors.APPOINTMENTS_PER_PAGE_MAX,
            )
            for appointment in page.items:
                self._write(appointment)
            if number * page.per_page >= page.total:
                break
            number += 1

    def _book(self, user: Any, path: str) -> None:
        payload = read_input(AppointmentBookIn, path)
        appointment = services.appointment_book_by_ids(actor=user, **payload.model_dump())
        self._write(appointment)

    def _send_reminders(self, for_date: str | None) -> None:
        day = (
            _date(for_date, "for_date") if for_date else timezone.localdate() + dt.timedelta(days=1)
        )
        sent = reminders_send(on=day)
        self.stderr.write(f"{sent} reminder(s) sent for {day.isoformat()}.")

    def _write(self, appointment: Any) -> None:
        self.stdout.write(appointment_out(appointment).model_dump_json())
