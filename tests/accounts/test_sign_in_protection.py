"""Sign-in lockout after repeated failures, per account and per address."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from needlerx.accounts.lockout import login_lockout_status
from needlerx.audit.models import AuditEvent
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


def test_one_address_trying_many_accounts_is_throttled(client, world, limits):
    for number in range(6):
        sign_in(client, f"guess{number}", "wrong-password-1", address="192.0.2.50")
    response = sign_in(client, "alice", PASSWORD, address="192.0.2.50")
    assert b"Too many failed sign-ins" in response.content
    assert sign_in(client, "alice", PASSWORD, address="192.0.2.51").status_code == 302


def test_unknown_usernames_lock_the_same_way_so_lockout_reveals_no_account(client, world, limits):
    for _ in range(3):
        sign_in(client, "not-a-user", "wrong-password-1")
    response = sign_in(client, "not-a-user", "wrong-password-1")
    assert b"Too many failed sign-ins" in response.content
