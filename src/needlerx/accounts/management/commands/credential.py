"""``needlerx credential``: record and list clinicians' dry-needling credentials (clinic admins).

needlerx credential list --user ada [--clinic "Clinic A"]
needlerx credential add --user ada --clinician nora --training-body "Myopain Seminars" \\
    --hours 54 --completed-on 2025-03-01 --expires-on 2027-03-01 --licence-number PT-1 \\
    --jurisdiction US-CO
needlerx credential update --user ada --credential ID --expires-on 2029-03-01

Bad input exits with status 2 and the field at fault on stderr; nothing is saved.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

from django.core.management.base import CommandParser
from django.utils import timezone

from needlerx.accounts import selectors, services
from needlerx.accounts.models import User
from needlerx.accounts.serializers import clinician_row_out, credential_out
from needlerx.audit.commands import ServiceCommand
from needlerx.core.errors import ApplicationError

CHANGE_OPTIONS = ("training_body", "hours", "completed_on", "expires_on", "licence_number",
                  "jurisdiction")  # fmt: skip


class Command(ServiceCommand):
    help = "List clinicians' dry-needling credentials, or add or renew one (clinic admins only)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        listing = actions.add_parser("list", help="clinicians of your clinics and their status")
        listing.add_argument("--user", required=True, help="your username (a clinic admin)")
        listing.add_argument("--clinic", help="clinic name (default: every clinic you administer)")
        for name in ("add", "update"):
            action = actions.add_parser(name)
            action.add_argument("--user", required=True, help="your username (a clinic admin)")
            if name == "add":
                action.add_argument("--clinician", required=True, help="the clinician's username")
            else:
                action.add_argument("--credential", required=True, help="credential public id")
            action.add_argument("--training-body", help="who gave the dry-needling training")
            action.add_argument("--hours", help="hours of dry-needling training")
            action.add_argument("--completed-on", help="YYYY-MM-DD")
            action.add_argument("--expires-on", help='YYYY-MM-DD, or "none"')
            action.add_argument("--licence-number")
            action.add_argument("--jurisdiction", help="country-region, e.g. US-CO or CA-AB")

    def run(self, **options: Any) -> None:
        admin = _active_user(options["user"], "user")
        if options["action"] == "list":
            self._list(admin, options.get("clinic"))
            return
        changes = _changes(options)
        if options["action"] == "add":
            clinician = _active_user(options["clinician"], "clinician")
            _require(changes, ("training_provider", "hours", "completed_on", "licence_number",
                               "licence_country"))  # fmt: skip
            changes.setdefault("expires_on", None)
            credential = services.credential_add(actor=admin, user=clinician, **changes)
        else:
            found = selectors.credential_get_for_user(
                user=admin, public_id=_uuid(options["credential"], "credential")
            )
            credential = services.credential_update(actor=admin, credential=found, **changes)
        self.stdout.write(json.dumps(credential_out(credential, timezone.localdate()), indent=2))

    def _list(self, admin: User, clinic_name: str | None) -> None:
        clinics = selectors.clinics_where_user_manages_credentials(user=admin)
        if clinic_name:
            clinics = clinics.filter(name=clinic_name)
        if not clinics.exists():
            raise ApplicationError(
                "you are not a clinic admin of "
                + (repr(clinic_name) if clinic_name else "any clinic"),
                field="clinic" if clinic_name else "user",
            )
        today = timezone.localdate()
        out = [
            {"clinic": clinic.name, **clinician_row_out(row, today)}
            for clinic in clinics
            for row in selectors.clinicians_with_credentials(user=admin, clinic=clinic, on=today)
        ]
        self.stdout.write(json.dumps(out, indent=2))


def _active_user(username: str, field: str) -> User:
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise ApplicationError(f"no active user named {username!r}", field=field)
    return user


def _uuid(value: str, field: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise ApplicationError(f"must be a public id (got {value!r})", field=field) from None


def _date(value: str, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ApplicationError(f"must be a date YYYY-MM-DD (got {value!r})", field=field) from None


def _changes(options: dict[str, Any]) -> dict[str, Any]:
    """The options given, as the service's fields, each parsed with an error naming it."""
    changes: dict[str, Any] = {}
    if options.get("training_body") is not None:
        changes["training_provider"] = options["training_body"]
    if options.get("hours") is not None:
        if not options["hours"].strip().isdigit():
            raise ApplicationError(f"must be a whole number (got {options['hours']!r})",
                                   field="hours")  # fmt: skip
        changes["hours"] = int(options["hours"])
    if options.get("completed_on") is not None:
        changes["completed_on"] = _date(options["completed_on"], "completed_on")
    if options.get("expires_on") is not None:
        raw = options["expires_on"]
        changes["expires_on"] = None if raw.lower() == "none" else _date(raw, "expires_on")
    if options.get("licence_number") is not None:
        changes["licence_number"] = options["licence_number"]
    if options.get("jurisdiction") is not None:
        country, _, region = options["jurisdiction"].partition("-")
        if not region:
            got = options["jurisdiction"]
            message = f"must be country-region, e.g. US-CO (got {got!r})"
            raise ApplicationError(message, field="jurisdiction")
        changes.update(licence_country=country, licence_region=region)
    return changes


def _require(changes: dict[str, Any], names: tuple[str, ...]) -> None:
    options = {"training_provider": "training-body", "licence_country": "jurisdiction"}
    for name in names:
        if name not in changes:
            option = options.get(name, name.replace("_", "-"))
            raise ApplicationError(f"--{option} is required", field=name)
