"""``needlerx treatment``: script the session note through the same services as the web and API.

needlerx treatment show --user alice --session ID
needlerx treatment update --user alice --session ID --input note.json
needlerx treatment needling --user alice --session ID --input entry.json
needlerx treatment needle-count --user alice --session ID --used 6 --removed 6
needlerx treatment sign --user alice --session ID --version 7
needlerx treatment verify-seal --user alice --session ID    (exit 1 when the seal is broken)
needlerx treatment addendum --user alice --session ID --text "..."
needlerx treatment billing --user alice --session ID    (the CPT suggestion, as GET /billing)

The JSON of ``update`` and ``needling`` is the body of the API's ``PATCH /sessions/{id}`` and
``POST /sessions/{id}/needling``, checked by the same input models: bad input exits with status 2
and the field at fault on stderr; nothing is saved.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import CommandError, CommandParser
from ninja import Schema

from needlerx.accounts.models import User
from needlerx.accounts.selectors import active_user_get
from needlerx.audit.commands import ServiceCommand
from needlerx.core.inputs import parse_input, read_input
from needlerx.treatments import selectors, services
from needlerx.treatments.models import TreatmentSession
from needlerx.treatments.schemas import (
    AddendumIn,
    NeedleCountIn,
    NeedlingIn,
    SessionPatchIn,
    SignIn,
    TakeOverIn,
)
from needlerx.treatments.serializers import session_out

ACTIONS = (
    "show",
    "update",
    "needling",
    "needle-count",
    "sign",
    "take-over",
    "addendum",
    "verify-seal",
    "billing",
)


class Command(ServiceCommand):
    help = (
        "Show, update the fields of, add needling to, count needles for, sign, take over a "
        "colleague's draft of, add an addendum to, verify the seal of, or show the billing "
        "suggestion for a session note."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        for name in ACTIONS:
            action = actions.add_parser(name)
            action.add_argument("--user", required=True)
            action.add_argument("--session", required=True, help="session public id")
            if name in ("update", "needling"):
                action.add_argument("--input", required=True, help='JSON file, or "-" for stdin')
            if name == "needle-count":
                action.add_argument("--used", type=int, required=True)
                action.add_argument("--removed", type=int, required=True)
            if name in ("sign", "take-over"):
                action.add_argument("--version", type=int, required=True, dest="expected")
            if name == "addendum":
                action.add_argument("--text", required=True)

    def run(self, **options: Any) -> None:
        user = active_user_get(username=options["user"])
        action, session_id = options["action"], options["session"]
        if action == "verify-seal":
            self._verify_seal(user, session_id)
            return
        if action == "billing":
            self._billing(user, session_id)
            return
        given = _parse(action, options)
        session = selectors.treatment_session_get_for_user(user=user, public_id=session_id)
        if given is not None:
            _write(user, session, given)
        session = selectors.treatment_session_get_for_user(user=user, public_id=session_id)
        self.stdout.write(json.dumps(session_out(session), indent=2, default=str))

    def _billing(self, user: User, session_id: str) -> None:
        """The CPT suggestion with the count and reasoning: the JSON of the API's billing route."""
        suggestion = selectors.treatment_session_billing_for_user(user=user, session_id=session_id)
        self.stdout.write(json.dumps(suggestion, indent=2))

    def _verify_seal(self, user: User, session_id: str) -> None:
        verdict = selectors.note_seal_verify_for_user(user=user, session_id=session_id)
        self.stdout.write(json.dumps(verdict, indent=2))
        if not verdict["ok"]:
            raise CommandError(verdict["message"], returncode=1)


def _parse(action: str, options: dict[str, Any]) -> Schema | None:
    """The action's input model, parsed before the session is looked up (as the API parses the
    body first); ``None`` for ``show``."""
    if action == "update":
        return read_input(SessionPatchIn, options["input"])
    if action == "needling":
        return read_input(NeedlingIn, options["input"])
    if action == "needle-count":
        counted = {"needles_used": options["used"], "needles_removed": options["removed"]}
        return parse_input(NeedleCountIn, counted)
    if action == "sign":
        return parse_input(SignIn, {"expected_version": options["expected"]})
    if action == "take-over":
        return parse_input(TakeOverIn, {"expected_version": options["expected"]})
    if action == "addendum":
        return parse_input(AddendumIn, {"text": options["text"]})
    return None


def _write(user: User, session: TreatmentSession, given: Schema) -> None:
    """Call the service with the parsed input, as the matching API route does."""
    if isinstance(given, SessionPatchIn):
        changes = given.dict(exclude={"expected_version"}, exclude_unset=True)
        services.treatment_session_update(
            actor=user, session=session, expected_version=given.expected_version, **changes
        )
    elif isinstance(given, NeedlingIn):
        services.needling_entry_add(actor=user, session=session, **given.dict())
    elif isinstance(given, NeedleCountIn):
        services.treatment_session_needle_count(actor=user, session=session, **given.dict())
    elif isinstance(given, SignIn):
        services.treatment_session_sign(
            actor=user, session=session, expected_version=given.expected_version
        )
    elif isinstance(given, TakeOverIn):
        services.treatment_session_take_over(
            actor=user, session=session, expected_version=given.expected_version
        )
    elif isinstance(given, AddendumIn):
        services.treatment_session_addendum_add(actor=user, session=session, text=given.text)
