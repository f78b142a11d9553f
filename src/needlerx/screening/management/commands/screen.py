"""``needlerx screen --input FILE``: screen facts and a plan from JSON, print the result as JSON."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from needlerx.clinical.commands import screen_json
from needlerx.clinical.errors import ClinicalInputError


class Command(BaseCommand):
    help = (
        'Read {"facts": {...}, "plan": [{"muscle", "side", "technique"}]} from FILE ("-" for '
        "standard input) and print the screen's decision and findings as JSON. Exit 0 for any "
        "valid input whatever the decision; exit 2 naming the problem for invalid input."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--input", required=True, help='JSON file, or "-" for stdin')

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            self.stdout.write(screen_json(options["input"]))
        except ClinicalInputError as error:
            raise CommandError(str(error), returncode=2) from None
