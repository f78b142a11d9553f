"""Base for NeedleRx commands that call services: audited as the command, errors exit 2.

The command is the origin of its audit events (with a run id, like a web request's id), and the
patient data its selectors read is written as view events when it ends (``audit.reads``).
"""

from __future__ import annotations

import sys
import uuid
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from needlerx.audit.context import origin, read_scope
from needlerx.audit.reads import read_scope_close
from needlerx.core.errors import ApplicationError


class ServiceCommand(BaseCommand):
    """Run ``run`` with the command as audit origin; an ApplicationError becomes exit code 2."""

    def handle(self, *args: Any, **options: Any) -> None:
        command = "needlerx " + " ".join(sys.argv[1:2])
        try:
            with origin(command=command, request_id=uuid.uuid4().hex), read_scope() as reads:
                self.run(**options)
                read_scope_close(reads)
        except ApplicationError as error:
            raise CommandError(str(error), returncode=2) from error

    def run(self, **options: Any) -> None:
        raise NotImplementedError
