"""``needlerx treatment``: script the session note through the same services as the web and API.

needlerx treatment show --user alice --session ID
needlerx treatment needling --user alice --session ID --input entry.json
needlerx treatment needle-count --user alice --session ID --used 6 --removed 6
needlerx treatment sign --user alice --session ID --version 7
needlerx treatment verify-seal --user alice --session ID    (exit 1 when the seal is broken)
needlerx treatment addendum --user alice --session ID --text "..."
"""

from __future__ import annotations

import inspect
import json
from typing import Any

from django.core.management.base import CommandError, CommandParser

from needlerx.audit.commands import ServiceCommand
from needlerx.core.errors import ApplicationError
from needlerx.treatments import selectors, services
from needlerx.treatments.management.commands._common import acting_user, read_json
from needlerx.treatments.serializers import session_out


class Command(ServiceCommand):
    help = (
        "Show, add needling to, count needles for, sign, add an addendum to, or verify the seal "
        "of a session note."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        for name in ("show", "needling", "needle-count", "sign", "addendum", "verify-seal"):
            action = actions.add_parser(name)
            action.add_argument("--user", required=True)
            action.add_argument("--session", required=True, help="session public id")
            if name == "needling":
                action.add_argument("--input", required=True, help='JSON file, or "-" for stdin')
            if name == "needle-count":
                action.add_argument("--used", type=int, required=True)
                action.add_argument("--removed", type=int, required=True)
            if name == "sign":
                action.add_argument("--version", type=int, required=True, dest="expected")
            if name == "addendum":
                action.add_argument("--text", required=True)

    def run(self, **options: Any) -> None:
        user = acting_user(options["user"])
        session = selectors.treatment_session_get_for_user(user=user, public_id=options["session"])
        action = options["action"]
        if action == "verify-seal":
            self._verify_seal(user, options["session"])
            return
        if action == "needling":
            entry = _needling_input(read_json(options["input"]))
            services.needling_entry_add(actor=user, session=session, **entry)
        elif action == "needle-count":
            services.treatment_session_needle_count(
                actor=user, session=session, needles_used=options["used"],
                needles_removed=options["removed"],
            )  # fmt: skip
        elif action == "sign":
            services.treatment_session_sign(
                actor=user, session=session, expected_version=options["expected"]
            )
        elif action == "addendum":
            services.treatment_session_addendum_add(
                actor=user, session=session, text=options["text"]
            )
        session = selectors.treatment_session_get_for_user(user=user, public_id=options["session"])
        self.stdout.write(json.dumps(session_out(session), indent=2, default=str))

    def _verify_seal(self, user: Any, session_id: str) -> None:
        verdict = selectors.note_seal_verify_for_user(user=user, session_id=session_id)
        self.stdout.write(json.dumps(verdict, indent=2))
        if not verdict["ok"]:
            raise CommandError(verdict["message"], returncode=1)


def _needling_input(payload: dict[str, Any]) -> dict[str, Any]:
    parameters = inspect.signature(services.needling_entry_add).parameters
    allowed = [name for name in parameters if name not in ("actor", "session")]
    for key in payload:
        if key not in allowed:
            raise ApplicationError(f"unknown field; allowed: {', '.join(allowed)}", field=key)
    for name in allowed:
        if parameters[name].default is inspect.Parameter.empty and name not in payload:
            raise ApplicationError("is required", field=name)
    return payload
