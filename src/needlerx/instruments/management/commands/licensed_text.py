"""``needlerx licensed_text``: a clinic admin loads the clinic's own licensed item text of a
questionnaire (NDI, ODI...), lists what is loaded, or removes it.

needlerx licensed_text load FILE --user ada [--clinic "Clinic A"]
needlerx licensed_text list --user ada [--clinic "Clinic A"]
needlerx licensed_text remove INSTRUMENT --user ada [--clinic "Clinic A"]

The file format is in docs/patient-tasks.md ("Licensed questionnaires at home"). NeedleRx ships
no licensed text. Loading is audited (the instrument, the license named in the file and the
item count, never the text); a bad file exits with status 2 naming the field; nothing is saved.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from needlerx.accounts import selectors
from needlerx.accounts.permissions import MANAGE_CLINIC
from needlerx.audit.commands import ServiceCommand
from needlerx.instruments.licensed_texts import (
    licensed_instruments_of,
    licensed_text_load,
    licensed_text_remove,
)


class Command(ServiceCommand):
    help = "Load, list or remove the clinic's licensed questionnaire text (clinic admins only)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        load = actions.add_parser("load", help="load a YAML or JSON item-text file")
        load.add_argument("file", help="the clinic's item-text file (YAML or .json)")
        actions.add_parser("list", help="the instruments whose text is loaded")
        remove = actions.add_parser("remove", help="remove an instrument's loaded text")
        remove.add_argument("instrument", help="the instrument id, e.g. odi")
        for action in actions.choices.values():
            action.add_argument("--user", required=True, help="your username (a clinic admin)")
            action.add_argument("--clinic", help="clinic name (if you administer several)")

    def run(self, **options: Any) -> None:
        admin = selectors.active_user_get(username=options["user"])
        clinic = selectors.administered_clinic_named(
            user=admin, name=options.get("clinic"), permission=MANAGE_CLINIC
        )
        if options["action"] == "load":
            stored = licensed_text_load(actor=admin, clinic=clinic, path=options["file"])
            self.stdout.write(
                f"Loaded the {stored.instrument} text for {clinic.name} "
                f"({len(stored.items)} items, {stored.source})."
            )
        elif options["action"] == "remove":
            licensed_text_remove(actor=admin, clinic=clinic, instrument=options["instrument"])
            self.stdout.write(f"Removed the {options['instrument']} text of {clinic.name}.")
        for instrument in licensed_instruments_of(clinic=clinic):
            self.stdout.write(f"loaded: {instrument}")
