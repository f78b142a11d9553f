"""``needlerx consultations``: the consultation-request queue through the same selectors and
services as the web and the API.

needlerx consultations list --user frank [--status new]
needlerx consultations status --user frank --request ID --status contacted

Bad input exits with status 2 and the field at fault on stderr; nothing is saved.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from needlerx.accounts.selectors import active_user_get
from needlerx.audit.commands import ServiceCommand
from needlerx.consultations import selectors, services
from needlerx.consultations.responses import consultation_request_out
from needlerx.consultations.schemas import ConsultationStatusIn
from needlerx.core.inputs import parse_input

ACTIONS = ("list", "status")


class Command(ServiceCommand):
    help = "List consultation requests or change the status of one."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        for name in ACTIONS:
            action = actions.add_parser(name)
            action.add_argument("--user", required=True, help="username of the person asking")
        actions.choices["list"].add_argument("--status", default="", help="new, contacted, ...")
        actions.choices["status"].add_argument("--request", required=True)
        actions.choices["status"].add_argument("--status", required=True)

    def run(self, **options: Any) -> None:
        user = active_user_get(username=options["user"])
        if options["action"] == "list":
            number = 1
            while True:
                queue = selectors.consultation_queue_for_user(
                    user=user, status=options["status"], page=number
                )
                for item in queue.page.object_list:
                    self._write(item)
                if not queue.page.has_next():
                    break
                number += 1
            return
        payload = parse_input(ConsultationStatusIn, {"status": options["status"]})
        item = selectors.consultation_request_get_for_user(user=user, public_id=options["request"])
        changed = services.consultation_request_status_set(
            actor=user, request=item, status=payload.status
        )
        self._write(changed)

    def _write(self, item: Any) -> None:
        self.stdout.write(consultation_request_out(item).model_dump_json())
