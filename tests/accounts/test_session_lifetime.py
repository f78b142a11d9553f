"""The absolute session lifetime (NEEDLERX_SESSION_MAX_HOURS) beside the idle timeout."""

from __future__ import annotations

import datetime as dt

from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from needlerx.accounts.signals import IDLE_RENEWED_AT, SIGNED_IN_AT
from needlerx.audit.models import AuditEvent
from tests.personas import PASSWORD


def started(client, hours_ago: float) -> None:
    session = client.session
    session[SIGNED_IN_AT] = (timezone.now() - dt.timedelta(hours=hours_ago)).timestamp()
    session.save()


def test_signing_in_records_when_the_session_started(client, world):
    before = timezone.now().timestamp()
    response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    assert before <= client.session[SIGNED_IN_AT] <= timezone.now().timestamp()


def test_an_active_session_older_than_the_lifetime_is_signed_out(client, world, settings):
    settings.SESSION_MAX_HOURS = 12
    client.force_login(world.alice)
    started(client, hours_ago=12.01)
    response = client.get(reverse("patients:list"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]
    assert not response.wsgi_request.user.is_authenticated
    event = AuditEvent.objects.filter(action="auth.logout").latest("sequence")
    assert (event.actor_username, event.detail) == ("alice", {"reason": "session_lifetime"})
    # the session is gone for good: the next request is anonymous too
    assert client.get(reverse("patients:list")).status_code == 302


def test_the_api_answers_401_once_the_lifetime_is_over(client, world, settings):
    settings.SESSION_MAX_HOURS = 12
    client.force_login(world.alice)
    started(client, hours_ago=13)
    assert client.get("/api/v1/patients/").status_code == 401


def test_a_session_within_its_lifetime_goes_on(client, world, settings):
    settings.SESSION_MAX_HOURS = 12
    client.force_login(world.alice)
    started(client, hours_ago=11.9)
    assert client.get(reverse("patients:list")).status_code == 200


def test_a_session_from_before_the_limit_starts_counting_at_its_next_request(client, world):
    client.force_login(world.alice)
    session = client.session
    del session[SIGNED_IN_AT]
    session.save()
    assert client.get(reverse("patients:list")).status_code == 200
    assert isinstance(client.session[SIGNED_IN_AT], float)


def stored_expiry() -> dt.datetime:
    return Session.objects.get().expire_date


def expires_in(minutes: float) -> dt.datetime:
    """Move the stored session's expiry, as if it had last been written earlier."""
    moment = timezone.now() + dt.timedelta(minutes=minutes)
    Session.objects.update(expire_date=moment)
    return Session.objects.get().expire_date


def renewed(client, seconds_ago: float) -> None:
    session = client.session
    session[IDLE_RENEWED_AT] = timezone.now().timestamp() - seconds_ago
    session.save()


def test_activity_renews_the_idle_timeout_once_its_last_renewal_is_a_minute_old(
    client, world, settings
):
    settings.SESSION_COOKIE_AGE, settings.SESSION_RENEW_EVERY_SECONDS = 15 * 60, 60
    client.force_login(world.alice)
    renewed(client, seconds_ago=61)
    expires_in(minutes=2)
    assert client.get(reverse("patients:list")).status_code == 200
    assert stored_expiry() >= timezone.now() + dt.timedelta(minutes=14)


def test_activity_within_a_minute_of_the_last_renewal_writes_no_session(client, world, settings):
    settings.SESSION_COOKIE_AGE, settings.SESSION_RENEW_EVERY_SECONDS = 15 * 60, 60
    client.force_login(world.alice)
    renewed(client, seconds_ago=50)
    written = expires_in(minutes=14)
    assert client.get(reverse("patients:list")).status_code == 200
    assert stored_expiry() == written


def test_a_session_idle_past_the_timeout_is_signed_out_though_renewed_lately(client, world):
    """The renewal time kept in the session never outlives the stored expiry: once that has
    passed, the session is gone whatever the session says of its last renewal."""
    client.force_login(world.alice)
    renewed(client, seconds_ago=10)
    expires_in(minutes=-0.1)
    response = client.get(reverse("patients:list"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_signing_in_starts_the_idle_window(client, world):
    before = timezone.now().timestamp()
    client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert before <= client.session[IDLE_RENEWED_AT] <= timezone.now().timestamp()
