"""``needlerx clinic``: a clinic admin shows or changes the clinic's details.

needlerx clinic show --user ada [--clinic "Clinic A"]
needlerx clinic update --user ada --time-zone America/Denver --npi 1234567893 \\
    --address-line-1 "12 Main St" --city Denver --postal-code 80202 --date-style month_first

Only the options given change. Bad input exits with status 2 and the field at fault on stderr.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import CommandParser

from needlerx.accounts import selectors, services
from needlerx.accounts.models import DateStyle, MeasurementUnits
from needlerx.accounts.permissions import MANAGE_CLINIC
from needlerx.accounts.schemas import ClinicPatchIn
from needlerx.accounts.serializers import clinic_out
from needlerx.accounts.services import CLINIC_FIELDS
from needlerx.audit.commands import ServiceCommand
from needlerx.core.inputs import parse_input

HELP = {
    "time_zone": "IANA time zone, e.g. America/Denver",
    "npi": "10-digit organisation NPI",
    "country": "two letters, e.g. US or CA",
    "region": "state or province code, e.g. CO or AB",
    "date_style": f"one of: {', '.join(DateStyle.values)}",
    "measurement_units": f"one of: {', '.join(MeasurementUnits.values)}",
}


class Command(ServiceCommand):
    help = "Show or change a clinic's details (clinic admins only)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        for name in ("show", "update"):
            action = actions.add_parser(name)
            action.add_argument("--user", required=True, help="your username (a clinic admin)")
            action.add_argument("--clinic", help="clinic name (if you administer several)")
        update = actions.choices["update"]
        for field in CLINIC_FIELDS:
            update.add_argument("--" + field.replace("_", "-"), help=HELP.get(field))

    def run(self, **options: Any) -> None:
        admin = selectors.active_user_get(username=options["user"])
        clinic = selectors.administered_clinic_named(
            user=admin, name=options.get("clinic"), permission=MANAGE_CLINIC
        )
        if options["action"] == "update":
            given = {f: options[f] for f in CLINIC_FIELDS if options.get(f) is not None}
            patch = parse_input(ClinicPatchIn, given)
            clinic = services.clinic_update(
                actor=admin, clinic=clinic, **patch.dict(exclude_unset=True)
            )
        self.stdout.write(json.dumps(clinic_out(clinic), indent=2))
