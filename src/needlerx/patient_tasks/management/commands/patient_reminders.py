"""``needlerx patient_reminders [--site-url URL]``: send one reminder for each check-in or
questionnaire link the patient has not answered after the delay of ``check_in.yaml``
(``reminders``), at most once per link, through the first reminder channel that reaches the
patient (email by default; SMS is an extension point, docs/patient-tasks.md). Each reminder is
audited. Run it hourly from cron or a systemd timer beside ``needlerx check_in_links``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from needlerx.audit.commands import ServiceCommand
from needlerx.core.site_url import add_site_url_argument
from needlerx.patient_tasks.services import patient_reminders_send


class Command(ServiceCommand):
    help = "Remind patients, once per link, of check-ins and questionnaires not answered yet."

    def add_arguments(self, parser: CommandParser) -> None:
        add_site_url_argument(parser)

    def run(self, **options: Any) -> None:
        sent = patient_reminders_send(site_url=options["site_url"])
        self.stderr.write(f"{sent} reminder(s) sent.")
