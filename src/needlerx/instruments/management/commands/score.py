"""``needlerx score INSTRUMENT --input FILE``: score answers from JSON, print the result as JSON."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from needlerx.clinical.commands import score_json
from needlerx.clinical.errors import ClinicalInputError
from needlerx.clinical.scoring import INSTRUMENT_IDS


class Command(BaseCommand):
    help = (
        'Read {"responses": {...}} from FILE ("-" for standard input) and print the score as '
        "JSON (instrument, score, unit, range, subscales, category, items_answered ...). Exit 2 "
        "naming the problem for an unknown instrument, item or field, a value of the wrong type "
        f"or out of range, too many missing items, or malformed JSON. Instruments: "
        f"{', '.join(INSTRUMENT_IDS)}. The response convention is in docs/instruments.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("instrument", help=f"one of: {', '.join(INSTRUMENT_IDS)}")
        parser.add_argument("--input", required=True, help='JSON file, or "-" for stdin')

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            self.stdout.write(score_json(options["instrument"], options["input"]))
        except ClinicalInputError as error:
            raise CommandError(str(error), returncode=2) from None
