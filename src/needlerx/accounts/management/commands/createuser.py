"""``needlerx createuser``: add a staff member with a role in one clinic."""

from __future__ import annotations

import getpass
import os
import sys
from typing import Any

from django.core.management.base import CommandParser

from needlerx.accounts import services
from needlerx.accounts.models import Clinic, Role
from needlerx.audit.commands import ServiceCommand
from needlerx.core.errors import ApplicationError


class Command(ServiceCommand):
    help = (
        "Create a user with a role in a clinic. The password comes from NEEDLERX_NEW_PASSWORD, "
        "standard input (--password-stdin) or a prompt."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--clinic", required=True, help="clinic name or public id")
        parser.add_argument("--role", required=True, help=f"one of: {', '.join(Role.values)}")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument("--email", default="")
        parser.add_argument("--password-stdin", action="store_true")

    def run(self, **options: Any) -> None:
        services.role_validate(options["role"])
        clinic = _find_clinic(options["clinic"])
        user = services.user_create(
            username=options["username"],
            password=_read_password(options["password_stdin"]),
            clinic=clinic,
            role=options["role"],
            first_name=options["first_name"],
            last_name=options["last_name"],
            email=options["email"],
        )
        self.stdout.write(f"Created {user.username} ({options['role']}) at {clinic.name}.")


def _find_clinic(name_or_id: str) -> Clinic:
    clinic = Clinic.objects.filter(name=name_or_id).first()
    if clinic is None:
        try:
            clinic = Clinic.objects.filter(public_id=name_or_id).first()
        except Exception:
            clinic = None
    if clinic is None:
        names = ", ".join(Clinic.objects.order_by("name").values_list("name", flat=True)[:20])
        raise ApplicationError(
            f"no clinic named {name_or_id!r}; clinics: {names or 'none yet'}", field="clinic"
        )
    return clinic


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    configured = os.environ.get("NEEDLERX_NEW_PASSWORD")
    if configured:
        return configured
    return getpass.getpass("Password: ")
