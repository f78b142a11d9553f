"""Sign-in throttling and lockout, counted from the audit trail's failed sign-ins.

An account is locked after NEEDLERX_LOGIN_FAILURE_LIMIT failed sign-ins (default 5) within
NEEDLERX_LOGIN_LOCKOUT_MINUTES (default 15) since its last successful sign-in; a client address
is locked after NEEDLERX_LOGIN_ADDRESS_FAILURE_LIMIT failures (default 50) in the same window.
A lock lifts by itself when the failures age out of the window (OWASP ASVS 2.2.1 asks for at most
100 failed attempts per hour per account; the defaults allow 20). Attempts refused during a lock
are audited as ``auth.login_blocked`` and do not extend it.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from needlerx.audit.models import AuditEvent

FAILED = "auth.login_failed"
SUCCEEDED = "auth.login"


@dataclass(frozen=True)
class LockoutStatus:
    locked: bool
    retry_after: dt.timedelta = dt.timedelta(0)

    @property
    def retry_after_minutes(self) -> int:
        return max(1, math.ceil(self.retry_after.total_seconds() / 60))


def _window() -> dt.timedelta:
    return dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)


def _account_failures(username: str, since: dt.datetime) -> list[dt.datetime]:
    """Failure times (newest first) since the account's last successful sign-in."""
    recent = (
        AuditEvent.objects.filter(
            actor_username=username[:150], occurred_at__gte=since, action__in=[FAILED, SUCCEEDED]
        )
        .order_by("-sequence")
        .values_list("action", "occurred_at")[: settings.LOGIN_FAILURE_LIMIT + 1]
    )
    failures: list[dt.datetime] = []
    for action, occurred_at in recent:
        if action == SUCCEEDED:
            break
        failures.append(occurred_at)
    return failures


def _address_failures(address: str, since: dt.datetime) -> list[dt.datetime]:
    if not address:
        return []
    return list(
        AuditEvent.objects.filter(client_address=address, occurred_at__gte=since, action=FAILED)
        .order_by("-sequence")
        .values_list("occurred_at", flat=True)[: settings.LOGIN_ADDRESS_FAILURE_LIMIT]
    )


def login_lockout_status(
    *, username: str, client_address: str, now: dt.datetime | None = None
) -> LockoutStatus:
    """Whether a sign-in for ``username`` from ``client_address`` must be refused right now."""
    now = now or timezone.now()
    since = now - _window()
    for failures, limit in (
        (_account_failures(username, since), settings.LOGIN_FAILURE_LIMIT),
        (_address_failures(client_address, since), settings.LOGIN_ADDRESS_FAILURE_LIMIT),
    ):
        if len(failures) >= limit:
            unlocks_at = failures[limit - 1] + _window()
            return LockoutStatus(locked=True, retry_after=unlocks_at - now)
    return LockoutStatus(locked=False)
