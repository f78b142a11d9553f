"""The absolute session lifetime (NEEDLERX_SESSION_MAX_HOURS) beside the idle timeout."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from needlerx.accounts.signals import SIGNED_IN_AT
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
