"""``needlerx check_in_links [--site-url URL]``: email every patient whose needling session was
signed and whose check-in window is still open a link to the after-needling check-in (once per
session; patients without an email address are left to the clinic's phone call). Run it hourly
from cron or a systemd timer beside ``needlerx appointments send-reminders``."""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import CommandParser

from needlerx.audit.commands import ServiceCommand
from needlerx.patient_tasks.services import check_in_links_send

SITE_URL = os.environ.get("NEEDLERX_SITE_URL", "http://localhost:8000")


class Command(ServiceCommand):
    help = "Email the after-needling check-in link for each signed session that has none yet."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--site-url",
            default=SITE_URL,
            help="where NeedleRx is served, for the link (default: $NEEDLERX_SITE_URL or "
            "http://localhost:8000)",
        )

    def run(self, **options: Any) -> None:
        sent = check_in_links_send(site_url=options["site_url"])
        self.stderr.write(f"{sent} check-in link(s) sent.")
