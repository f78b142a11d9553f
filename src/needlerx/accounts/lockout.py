"""Sign-in throttling, counted from the audit trail's failed sign-ins.

Two throttles, both lifting by themselves:

- **Account lockout.** An account is locked after NEEDLERX_LOGIN_FAILURE_LIMIT failed sign-ins
  (default 5) within NEEDLERX_LOGIN_LOCKOUT_MINUTES (default 15) since its last successful
  sign-in (OWASP ASVS 2.2.1 asks for at most 100 failed attempts per hour per account; the
  defaults allow 20).
- **Address delay.** A client address is never locked for everyone behind it (a clinic behind NAT
  or a reverse proxy shares one). After NEEDLERX_LOGIN_ADDRESS_FAILURE_LIMIT failures (default 10)
  in the window, each further failure makes that address wait longer before its next attempt:
  1, 2, 4, ... seconds after its latest failure, at most NEEDLERX_LOGIN_ADDRESS_MAX_DELAY_SECONDS
  (default 60). Nothing sleeps: attempts during the delay are refused at once.

Attempts refused by either throttle are audited as ``auth.login_blocked`` (summarised, see
``signals.py``) and do not count as failures, so they extend neither throttle.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from needlerx.accounts.models import SignInRefusalTally
from needlerx.audit.models import AuditEvent

FAILED = "auth.login_failed"
SUCCEEDED = "auth.login"
ACCOUNT = "account"
ADDRESS = "address"


@dataclass(frozen=True)
class LockoutStatus:
    locked: bool
    retry_after: dt.timedelta = dt.timedelta(0)
    scope: str = ""
    """``account`` (the username is locked) or ``address`` (the client address must wait)."""

    @property
    def retry_after_minutes(self) -> int:
        return max(1, math.ceil(self.retry_after.total_seconds() / 60))

    @property
    def retry_after_seconds(self) -> int:
        return max(1, math.ceil(self.retry_after.total_seconds()))


def _window() -> dt.timedelta:
    return dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)


def _account_failures(username: str, since: dt.datetime) -> list[dt.datetime]:
    """Failure times (newest first) since the account's last successful sign-in."""
    recent = (
        AuditEvent.objects.filter(
            actor_username=username[:150], occurred_at__gte=since, action__in=[FAILED, SUCCEEDED]
        )
        .order_by("-occurred_at", "-sequence")
        .values_list("action", "occurred_at")[: settings.LOGIN_FAILURE_LIMIT + 1]
    )
    failures: list[dt.datetime] = []
    for action, occurred_at in recent:
        if action == SUCCEEDED:
            break
        failures.append(occurred_at)
    return failures


def _account_status(username: str, now: dt.datetime) -> LockoutStatus:
    limit = settings.LOGIN_FAILURE_LIMIT
    failures = _account_failures(username, now - _window())
    if len(failures) < limit:
        return LockoutStatus(locked=False)
    unlocks_at = failures[limit - 1] + _window()
    return LockoutStatus(locked=True, retry_after=unlocks_at - now, scope=ACCOUNT)


def address_delay(failures: int) -> dt.timedelta:
    """How long an address with ``failures`` recent failures waits after its latest one."""
    beyond = failures - settings.LOGIN_ADDRESS_FAILURE_LIMIT
    if beyond < 0:
        return dt.timedelta(0)
    maximum = settings.LOGIN_ADDRESS_MAX_DELAY_SECONDS
    exponent = min(beyond, maximum.bit_length())
    return dt.timedelta(seconds=min(2**exponent, maximum))


def _address_status(address: str, now: dt.datetime) -> LockoutStatus:
    if not address:
        return LockoutStatus(locked=False)
    # Enough failures to reach the longest delay; counting further changes nothing.
    enough = (
        settings.LOGIN_ADDRESS_FAILURE_LIMIT
        + settings.LOGIN_ADDRESS_MAX_DELAY_SECONDS.bit_length()
        + 1
    )
    failures = list(
        AuditEvent.objects.filter(
            client_address=address, occurred_at__gte=now - _window(), action=FAILED
        )
        .order_by("-occurred_at", "-sequence")
        .values_list("occurred_at", flat=True)[:enough]
    )
    if not failures:
        return LockoutStatus(locked=False)
    waits_until = failures[0] + address_delay(len(failures))
    if waits_until <= now:
        return LockoutStatus(locked=False)
    return LockoutStatus(locked=True, retry_after=waits_until - now, scope=ADDRESS)


def login_lockout_status(
    *, username: str, client_address: str, now: dt.datetime | None = None
) -> LockoutStatus:
    """Whether a sign-in for ``username`` from ``client_address`` must be refused right now."""
    now = now or timezone.now()
    account = _account_status(username, now)
    if account.locked:
        return account
    return _address_status(client_address, now)


def _window_started(now: dt.datetime) -> dt.datetime:
    """The start of the fixed window ``now`` falls in (windows of the lockout's length)."""
    seconds = int(_window().total_seconds())
    return dt.datetime.fromtimestamp(int(now.timestamp()) // seconds * seconds, tz=dt.UTC)


def refused_sign_in_count(
    *, status: LockoutStatus, username: str, client_address: str, now: dt.datetime | None = None
) -> tuple[int, dt.datetime]:
    """Count one more refused attempt for the locked account or address in the current window.

    Returns the count so far in the window and when the window started.
    """
    key = (client_address if status.scope == ADDRESS else username)[:150]
    started = _window_started(now or timezone.now())
    with transaction.atomic():
        tally, created = SignInRefusalTally.objects.get_or_create(
            scope=status.scope or ACCOUNT, key=key, window_started=started
        )
        if created:  # tallies of closed windows are no longer needed: the table stays small
            SignInRefusalTally.objects.filter(window_started__lt=started).delete()
        SignInRefusalTally.objects.filter(pk=tally.pk).update(refused=F("refused") + 1)
        tally.refresh_from_db(fields=["refused"])
    return tally.refused, started


def worth_recording(refused: int) -> bool:
    """Record the 1st, 10th, 100th, ... refused attempt of a window: log10 events, not one each."""
    while refused % 10 == 0 and refused > 1:
        refused //= 10
    return refused == 1
