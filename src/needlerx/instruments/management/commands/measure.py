"""``needlerx measure``: store an outcome measure, or print an episode's outcome summary, through
the same service and selector as the API.

needlerx measure record --user alice --episode ID --input measure.json
needlerx measure summary --user alice --episode ID


The JSON is the body of ``POST /api/v1/episodes/{id}/measurements`` (``instrument``,
``responses``, optional ``taken_at``), checked by the same input model and scored by the same
clinical core: bad input exits with status 2 and the field at fault on stderr; nothing is saved.
``needlerx score`` scores answers without storing them. ``summary`` prints the JSON of
``GET /api/v1/episodes/{id}/outcome-summary``.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.core.management.base import CommandParser

from needlerx.accounts.selectors import active_user_get
from needlerx.audit.commands import ServiceCommand
from needlerx.core.inputs import read_input
from needlerx.instruments import progress, services
from needlerx.instruments.api import measurement_out
from needlerx.instruments.responses import OutcomeSummaryOut
from needlerx.instruments.schemas import MeasurementIn
from needlerx.patients.selectors import episode_get_for_user


class Command(ServiceCommand):
    help = (
        "Store one administration of an outcome measure for an episode from JSON (the body of "
        "POST /api/v1/episodes/{id}/measurements) and print it with its score; or print the "
        "episode outcome summary."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        record = actions.add_parser("record", help="store a measure for an episode")
        record.add_argument("--user", required=True, help="your username")
        record.add_argument("--episode", required=True, type=uuid.UUID, help="episode public id")
        record.add_argument("--input", required=True, help='JSON file, or "-" for stdin')
        summary = actions.add_parser("summary", help="print the episode outcome summary")
        summary.add_argument("--user", required=True, help="your username")
        summary.add_argument("--episode", required=True, type=uuid.UUID, help="episode public id")

    def run(self, **options: Any) -> None:
        user = active_user_get(username=options["user"])
        if options["action"] == "summary":
            found = progress.episode_outcome_summary(user=user, episode_id=options["episode"])
            answer = OutcomeSummaryOut.model_validate(found.to_dict())
            self.stdout.write(json.dumps(answer.model_dump(mode="json"), indent=2))
            return
        given = read_input(MeasurementIn, options["input"])
        episode = episode_get_for_user(
            user=user, public_id=options["episode"], permission="measure.record"
        )
        stored = services.instrument_response_record(
            actor=user,
            episode=episode,
            instrument_id=given.instrument,
            responses=given.responses,
            taken_at=given.taken_at,
        )
        self.stdout.write(json.dumps(measurement_out(stored).model_dump(mode="json"), indent=2))
