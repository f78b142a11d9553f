"""``needlerx two_factor_reset USERNAME``: remove a user's authenticators (a lost phone).

The user sets up a new one at their next sign-in. Audited as ``auth.two_factor_reset``.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from needlerx.accounts.models import User
from needlerx.accounts.two_factor import two_factor_reset
from needlerx.audit.commands import ServiceCommand
from needlerx.core.errors import ApplicationError


class Command(ServiceCommand):
    help = "Remove a user's two-factor authenticators so they can set up a new one."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def run(self, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise ApplicationError(f"no user {options['username']!r}", field="username")
        removed = two_factor_reset(user=user)
        self.stdout.write(f"Removed {removed} authenticator(s) of {user.username}.")
