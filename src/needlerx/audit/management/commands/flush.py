"""``needlerx flush``: Django's flush, allowed to empty the audit table along with the rest.

The audit triggers refuse DELETE; emptying the whole database (a test run between tests, or an
operator starting over) is the one exception (``audit.guard.audit_maintenance``).
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands.flush import Command as DjangoFlush
from django.db import connections

from needlerx.audit.guard import audit_maintenance


class Command(DjangoFlush):
    def handle(self, **options: Any) -> None:
        with audit_maintenance(connections[options["database"]]):
            super().handle(**options)
