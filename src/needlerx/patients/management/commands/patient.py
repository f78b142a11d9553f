"""``needlerx patient register``: register a patient through the same service as the web and API.

needlerx patient register --user frank --input patient.json

The JSON is the body of ``POST /api/v1/patients/`` (``clinic_id``, ``medical_record_number``,
``given_name``, ``family_name``, ``date_of_birth``, ...), checked by the same input model: bad
input exits with status 2 and the field at fault on stderr; nothing is saved.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import CommandParser

from needlerx.accounts.selectors import active_user_get, clinic_get
from needlerx.audit.commands import ServiceCommand
from needlerx.core.inputs import read_input
from needlerx.patients import services
from needlerx.patients.api import patient_out
from needlerx.patients.schemas import PatientIn


class Command(ServiceCommand):
    help = "Register a patient in a clinic from JSON (the body of POST /api/v1/patients/)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        register = actions.add_parser("register", help="register a patient in a clinic")
        register.add_argument("--user", required=True, help="your username")
        register.add_argument("--input", required=True, help='JSON file, or "-" for stdin')

    def run(self, **options: Any) -> None:
        user = active_user_get(username=options["user"])
        given = read_input(PatientIn, options["input"])
        fields = given.dict(exclude={"clinic_id", "medical_record_number"})
        patient = services.patient_register(
            actor=user,
            clinic=clinic_get(public_id=given.clinic_id),
            medical_record_number=given.medical_record_number,
            **fields,
        )
        self.stdout.write(json.dumps(patient_out(patient).model_dump(mode="json"), indent=2))
