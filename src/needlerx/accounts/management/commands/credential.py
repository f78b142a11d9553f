"""``needlerx credential``: record and list clinicians' dry-needling credentials (clinic admins).

needlerx credential list --user ada [--clinic "Clinic A"]
needlerx credential add --user ada --clinician nora --training-body "Myopain Seminars" \\
    --hours 54 --completed-on 2025-03-01 --expires-on 2027-03-01 --licence-number PT-1 \\
    --jurisdiction US-CO
needlerx credential update --user ada --credential ID --expires-on 2029-03-01

Bad input exits with status 2 and the field at fault on stderr; nothing is saved.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.core.management.base import CommandParser
from django.utils import timezone

from needlerx.accounts import selectors, services
from needlerx.accounts.local import clinic_today
from needlerx.accounts.models import User
from needlerx.accounts.schemas import CredentialIn, CredentialPatchIn
from needlerx.accounts.selectors import active_user_get
from needlerx.accounts.serializers import clinician_row_out, credential_out
from needlerx.audit.commands import ServiceCommand
from needlerx.core.errors import ApplicationError
from needlerx.core.inputs import parse_input


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
            required = name == "add"
            action.add_argument(
                "--training-body", required=required, help="who gave the dry-needling training"
            )
            action.add_argument("--hours", required=required, help="hours of training")
            action.add_argument("--completed-on", required=required, help="YYYY-MM-DD")
            action.add_argument("--expires-on", help='YYYY-MM-DD, or "none"')
            action.add_argument("--licence-number", required=required)
            action.add_argument(
                "--jurisdiction", required=required, help="country-region, e.g. US-CO or CA-AB"
            )

    def run(self, **options: Any) -> None:
        admin = active_user_get(username=options["user"])
        if options["action"] == "list":
            self._list(admin, options.get("clinic"))
            return
        changes = _changes(options)
        if options["action"] == "add":
            given = parse_input(CredentialIn, changes)
            clinician = active_user_get(username=options["clinician"], field="clinician")
            credential = services.credential_add(actor=admin, user=clinician, **given.dict())
        else:
            patch = parse_input(CredentialPatchIn, changes)
            found = selectors.credential_get_for_user(
                user=admin, public_id=_uuid(options["credential"], "credential")
            )
            credential = services.credential_update(
                actor=admin, credential=found, **patch.dict(exclude_unset=True)
            )
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
        out = [
            {"clinic": clinic.name, **clinician_row_out(row, today)}
            for clinic in clinics
            for today in [clinic_today(clinic)]
            for row in selectors.clinicians_with_credentials(user=admin, clinic=clinic, on=today)
        ]
        self.stdout.write(json.dumps(out, indent=2))


def _uuid(value: str, field: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise ApplicationError(f"must be a public id (got {value!r})", field=field) from None


def _changes(options: dict[str, Any]) -> dict[str, Any]:
    """The options given, under the input model's field names (the model parses the values)."""
    names = {
        "training_body": "training_provider",
        "hours": "hours",
        "completed_on": "completed_on",
        "expires_on": "expires_on",
        "licence_number": "licence_number",
    }
    changes = {
        field: options[option] for option, field in names.items() if options.get(option) is not None
    }
    if str(changes.get("expires_on", "")).lower() == "none":
        changes["expires_on"] = None
    if options.get("jurisdiction") is not None:
        country, _, region = options["jurisdiction"].partition("-")
        if not region:
            got = options["jurisdiction"]
            message = f"must be country-region, e.g. US-CO (got {got!r})"
            raise ApplicationError(message, field="jurisdiction")
        changes.update(licence_country=country, licence_region=region)
    return changes
