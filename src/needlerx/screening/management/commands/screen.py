"""``needlerx screen --input FILE``: screen facts and a plan from JSON, print the result as JSON."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from needlerx.clinical.errors import ClinicalInputError
from needlerx.clinical.screening import screen_request
from needlerx.core.errors import ApplicationError
from needlerx.core.json_input import read_json_input


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
            payload = read_json_input(options["input"])
            result = screen_request(payload)
        except (ApplicationError, ClinicalInputError) as error:
            raise CommandError(str(error), returncode=2) from None
        self.stdout.write(json.dumps(result.to_dict(), indent=2))
