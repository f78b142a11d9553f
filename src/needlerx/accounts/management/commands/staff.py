"""``needlerx staff``: a clinic admin lists and manages the clinic's staff.

needlerx staff list --user ada [--clinic "Clinic A"]
needlerx staff create --user ada --username nora --first-name Nora --last-name Quinn \\
    --email nora@example.org --role clinician [--password-stdin]
needlerx staff role --user ada --staff nora --role clinic_admin
needlerx staff deactivate|reactivate|reset-second-factor --user ada --staff nora
needlerx staff password-link --user ada --staff nora [--site-url https://needlerx.example.org]
needlerx staff create ... --invite   (no password: prints and emails a one-time set-password link)

``--clinic`` is needed only by an admin of several clinics. The first password comes from
NEEDLERX_NEW_PASSWORD, standard input (--password-stdin) or a prompt. Each change prints the staff
member as JSON; bad input exits with status 2 and the field at fault on stderr; nothing is saved.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from django.core.management.base import CommandParser
from django.utils import timezone

from needlerx.accounts import selectors, services
from needlerx.accounts.management.commands.createuser import _read_password
from needlerx.accounts.models import Clinic, Membership, Role, User
from needlerx.accounts.permissions import MANAGE_STAFF
from needlerx.accounts.schemas import StaffIn, StaffRoleIn
from needlerx.accounts.serializers import staff_out
from needlerx.audit.commands import ServiceCommand
from needlerx.core.inputs import parse_input
from needlerx.core.site_url import add_site_url_argument

CHANGES = ("role", "deactivate", "reactivate", "reset-second-factor", "password-link")


class Command(ServiceCommand):
    help = "List a clinic's staff, add someone, change a role, deactivate, reset a second factor."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        for name in ("list", "create", *CHANGES):
            action = actions.add_parser(name)
            action.add_argument("--user", required=True, help="your username (a clinic admin)")
            action.add_argument("--clinic", help="clinic name (if you administer several)")
            if name in CHANGES:
                action.add_argument("--staff", required=True, help="the staff member's username")
            if name in ("create", "role"):
                action.add_argument(
                    "--role", required=True, help=f"one of: {', '.join(Role.values)}"
                )
        create = actions.choices["create"]
        create.add_argument("--username", required=True)
        create.add_argument("--first-name", required=True)
        create.add_argument("--last-name", required=True)
        create.add_argument("--email", default="")
        create.add_argument("--password-stdin", action="store_true")
        create.add_argument(
            "--invite",
            action="store_true",
            help="no password: print (and email) a one-time link for them to choose one",
        )
        for name in ("create", "password-link"):
            add_site_url_argument(actions.choices[name])

    def run(self, **options: Any) -> None:
        admin = selectors.active_user_get(username=options["user"])
        clinic = selectors.administered_clinic_named(
            user=admin, name=options.get("clinic"), permission=MANAGE_STAFF
        )
        action = options["action"]
        if action == "list":
            rows = selectors.staff_of_clinic(user=admin, clinic=clinic, on=timezone.localdate())
            self._print([staff_out(row) for row in rows])
            return
        if action == "create":
            membership = self._create(admin, clinic, options)
        else:
            membership = selectors.staff_membership_named(
                user=admin, clinic=clinic, username=options["staff"]
            )
            self._change(admin, membership, action, options)
        member = selectors.staff_member_get(
            user=admin, public_id=membership.public_id, on=timezone.localdate()
        )
        out = staff_out(member)
        if action == "password-link" or (action == "create" and options["invite"]):
            link = services.staff_password_link(
                actor=admin, membership=membership, site_url=options["site_url"]
            )
            out["set_password_link"] = asdict(link)
        self._print(out)

    def _create(self, admin: User, clinic: Clinic, options: dict[str, Any]) -> Membership:
        given = {
            "username": options["username"],
            "first_name": options["first_name"],
            "last_name": options["last_name"],
            "email": options["email"],
            "role": options["role"],
        }
        parse_input(StaffIn, given)  # refuse bad options before asking for a password
        if not options["invite"]:
            given["password"] = _read_password(options["password_stdin"])
        return services.staff_create(
            actor=admin, clinic=clinic, **parse_input(StaffIn, given).dict()
        )

    def _change(
        self, admin: User, membership: Membership, action: str, options: dict[str, Any]
    ) -> None:
        if action == "role":
            role = parse_input(StaffRoleIn, {"role": options["role"]}).role
            services.staff_role_set(actor=admin, membership=membership, role=role)
        elif action == "deactivate":
            services.staff_deactivate(actor=admin, membership=membership)
        elif action == "reactivate":
            services.staff_reactivate(actor=admin, membership=membership)
        elif action == "reset-second-factor":
            services.second_factor_reset(actor=admin, membership=membership)

    def _print(self, value: Any) -> None:
        self.stdout.write(json.dumps(value, indent=2))
