"""``needlerx check_in_links [--site-url URL]``: email every patient whose needling session was
signed and whose check-in window is still open a link to the after-needling check-in (once per
session; patients without an email address are left to the clinic's phone call). Run it hourly
from cron or a systemd timer beside ``needlerx appointments send-reminders``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from needlerx.audit.commands import ServiceCommand
from needlerx.core.site_url import add_site_url_argument
from needlerx.patient_tasks.services import check_in_links_send


class Command(ServiceCommand):
    help = "Email the after-needling check-in link for each signed session that has none yet."

    def add_arguments(self, parser: CommandParser) -> None:
        add_site_url_argument(parser)

    def run(self, **options: Any) -> None:
        sent = check_in_links_send(site_url=options["site_url"])
        self.stderr.write(f"{sent} check-in link(s) sent.")
