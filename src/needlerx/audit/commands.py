"""Base for NeedleRx commands that call services: audited as the command, errors exit 2."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from needlerx.audit.context import origin
from needlerx.core.errors import ApplicationError


class ServiceCommand(BaseCommand):
    """Run ``run`` with the command as audit origin; an ApplicationError becomes exit code 2."""

    def handle(self, *args: Any, **options: Any) -> None:
        command = "needlerx " + " ".join(sys.argv[1:2])
        try:
            with origin(command=command):
                self.run(**options)
        except ApplicationError as error:
            raise CommandError(str(error), returncode=2) from error

    def run(self, **options: Any) -> None:
        raise NotImplementedError
