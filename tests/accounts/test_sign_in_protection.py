"""Sign-in lockout after repeated failures, per account and per address."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from needlerx.accounts.lockout import address_delay, login_lockout_status
from needlerx.accounts.models import SignInRefusalTally
from needlerx.audit.context import origin
from needlerx.audit.middleware import client_address
from needlerx.audit.models import AuditEvent
from needlerx.audit.services import audit_chain_verify
from tests.personas import PASSWORD


def sign_in(client, username: str, password: str, address: str = "198.51.100.7"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


@pytest.fixture
def limits(settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 6
    settings.LOGIN_LOCKOUT_MINUTES = 15
    return settings


def test_an_account_locks_after_the_limit_even_for_the_right_password(client, world, limits):
    for _ in range(3):
        assert sign_in(client, "alice", "wrong-password-1").status_code == 200
    response = sign_in(client, "alice", PASSWORD)
    assert response.status_code == 200
    assert b"Too many failed sign-ins" in response.content
    assert b"Try again in 15 minutes" in response.content
    assert not response.wsgi_request.user.is_authenticated
    assert AuditEvent.objects.filter(action="auth.login_blocked", actor_username="alice").exists()
    # another account is not affected
    assert sign_in(client, "nora", PASSWORD, address="198.51.100.8").status_code == 302


def test_the_lock_lifts_when_the_failures_age_out(world, limits):
    for _ in range(3):
        sign_in_failure(world)
    now = timezone.now()
    assert login_lockout_status(username="alice", client_address="", now=now).locked
    later = now + dt.timedelta(minutes=15, seconds=1)
    assert not login_lockout_status(username="alice", client_address="", now=later).locked


def sign_in_failure(world: object) -> None:
    from django.contrib.auth import authenticate

    assert authenticate(None, username="alice", password="wrong-password-1") is None


def test_a_successful_sign_in_resets_the_count(client, world, limits):
    for _ in range(2):
        sign_in(client, "alice", "wrong-password-1")
    assert sign_in(client, "alice", PASSWORD).status_code == 302
    client.logout()
    for _ in range(2):
        sign_in(client, "alice", "wrong-password-1")
    assert sign_in(client, "alice", PASSWORD).status_code == 302


def test_blocked_attempts_do_not_extend_the_lock(client, world, limits):
    for _ in range(3):
        sign_in(client, "alice", "wrong-password-1")
    for _ in range(5):
        sign_in(client, "alice", "wrong-password-1")
    failures = AuditEvent.objects.filter(action="auth.login_failed", actor_username="alice")
    assert failures.count() == 3


def test_one_address_trying_many_accounts_is_slowed_down_not_locked(client, world, limits):
    for number in range(6):
        sign_in(client, f"guess{number}", "wrong-password-1", address="192.0.2.50")
    response = sign_in(client, "alice", PASSWORD, address="192.0.2.50")
    assert b"Too many failed sign-ins from this address" in response.content
    assert b"Try again in 1 seconds" in response.content
    assert sign_in(client, "alice", PASSWORD, address="192.0.2.51").status_code == 302


def test_an_address_flood_does_not_lock_the_clinic_out_for_the_window(client, world, limits):
    """Finding M2: failures with random usernames from the clinic's shared address used to
    lock every account behind it for 15 minutes; now they only delay that address briefly."""
    for number in range(6):
        sign_in(client, f"guess{number}", "wrong-password-1", address="192.0.2.50")
    two_minutes_later = timezone.now() + dt.timedelta(minutes=2)
    with mock.patch("needlerx.accounts.lockout.timezone.now", return_value=two_minutes_later):
        response = sign_in(client, "alice", PASSWORD, address="192.0.2.50")
    assert response.status_code == 302


def test_the_address_delay_grows_with_each_failure_up_to_the_maximum(world, limits):
    limits.LOGIN_ADDRESS_MAX_DELAY_SECONDS = 60
    delays = [address_delay(failures).total_seconds() for failures in range(5, 16)]
    assert delays == [0, 1, 2, 4, 8, 16, 32, 60, 60, 60, 60]


def test_the_address_delay_is_counted_from_the_latest_failure(world, limits):
    from django.contrib.auth import authenticate

    request = RequestFactory().post("/login/", REMOTE_ADDR="192.0.2.60")
    with origin(request_id="test", client_address="192.0.2.60", user_agent="", command=""):
        for number in range(6):  # the limit of 6: the address waits 1 second
            assert authenticate(request, username=f"guess{number}", password="wrong-1") is None
    latest = AuditEvent.objects.filter(action="auth.login_failed").latest("sequence").occurred_at
    status = login_lockout_status(
        username="alice", client_address="192.0.2.60", now=latest + dt.timedelta(seconds=0.5)
    )
    assert (status.locked, status.scope, status.retry_after_seconds) == (True, "address", 1)
    later = latest + dt.timedelta(seconds=1)
    assert not login_lockout_status(username="alice", client_address="192.0.2.60", now=later).locked


def test_a_spoofed_forwarded_for_is_ignored_unless_the_proxy_is_trusted(settings):
    settings.TRUST_X_FORWARDED_FOR = False
    request = RequestFactory().get(
        "/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="203.0.113.5, 198.51.100.9"
    )
    assert client_address(request) == "192.0.2.1"


def test_behind_a_trusted_proxy_the_last_forwarded_hop_counts(settings):
    settings.TRUST_X_FORWARDED_FOR = True
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.5, 198.51.100.9"
    )
    assert client_address(request) == "198.51.100.9"
    assert client_address(RequestFactory().get("/", REMOTE_ADDR="10.0.0.2")) == "10.0.0.2"


def test_forged_forwarded_for_cannot_dodge_the_address_delay(client, world, limits):
    limits.TRUST_X_FORWARDED_FOR = False
    for number in range(6):
        client.post(
            reverse("login"),
            {"username": f"guess{number}", "password": "wrong-password-1"},
            REMOTE_ADDR="192.0.2.70",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{number}",
        )
    response = client.post(
        reverse("login"),
        {"username": "alice", "password": PASSWORD},
        REMOTE_ADDR="192.0.2.70",
        HTTP_X_FORWARDED_FOR="203.0.113.99",
    )
    assert b"Too many failed sign-ins from this address" in response.content


def test_unknown_usernames_lock_the_same_way_so_lockout_reveals_no_account(client, world, limits):
    for _ in range(3):
        sign_in(client, "not-a-user", "wrong-password-1")
    response = sign_in(client, "not-a-user", "wrong-password-1")
    assert b"Too many failed sign-ins" in response.content


def test_a_flood_of_refused_attempts_adds_a_bounded_number_of_events(client, world, limits):
    """Finding M4: every refused attempt used to append an audit row (unbounded growth)."""
    for _ in range(3):
        sign_in(client, "alice", "wrong-password-1")
    before = AuditEvent.objects.count()
    for _ in range(200):
        sign_in(client, "alice", "wrong-password-1")
    blocked = AuditEvent.objects.filter(action="auth.login_blocked").order_by("sequence")
    assert AuditEvent.objects.count() - before == blocked.count() == 3
    assert [event.detail["refused"] for event in blocked] == [1, 10, 100]
    assert {event.detail["scope"] for event in blocked} == {"account"}
    assert SignInRefusalTally.objects.get(key="alice").refused == 200
    assert audit_chain_verify() == []
    call_command("audit", "verify")  # `needlerx audit verify` passes


def test_refusals_of_a_waiting_address_are_summarised_per_address(client, world, limits):
    for number in range(6):
        sign_in(client, f"guess{number}", "wrong-password-1", address="192.0.2.80")
    for number in range(50):
        sign_in(client, f"other{number}", "wrong-password-1", address="192.0.2.80")
    blocked = AuditEvent.objects.filter(action="auth.login_blocked").order_by("sequence")
    assert [(event.detail["scope"], event.detail["refused"]) for event in blocked] == [
        ("address", 1),
        ("address", 10),
    ]


def test_tallies_of_closed_windows_are_removed(world, limits):
    from needlerx.accounts.lockout import LockoutStatus, refused_sign_in_count

    locked = LockoutStatus(locked=True, scope="account")
    now = timezone.now()
    refused_sign_in_count(status=locked, username="alice", client_address="", now=now)
    later = now + dt.timedelta(minutes=31)
    assert refused_sign_in_count(status=locked, username="alice", client_address="", now=later) == (
        1,
        SignInRefusalTally.objects.get().window_started,
    )
