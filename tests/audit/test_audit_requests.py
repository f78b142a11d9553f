"""Every request's events carry its origin; sign-in, sign-out, failures and refusals are audited."""

from __future__ import annotations

from django.urls import reverse

from needlerx.audit.models import AuditEvent
from needlerx.patients.selectors import episode_get_for_user, patient_get_for_user
from tests.personas import PASSWORD

AGENT = "Mozilla/5.0 (NeedleRx test)"


def last(action: str) -> AuditEvent:
    return AuditEvent.objects.filter(action=action).latest("sequence")


def test_sign_in_is_audited_with_request_id_address_and_agent(client, world):
    response = client.post(
        reverse("login"),
        {"username": "alice", "password": PASSWORD},
        HTTP_USER_AGENT=AGENT,
        REMOTE_ADDR="203.0.113.9",
    )
    assert response.status_code == 302
    event = last("auth.login")
    assert event.actor_public_id == str(world.alice.public_id)
    assert (event.client_address, event.user_agent) == ("203.0.113.9", AGENT)
    assert len(event.request_id) == 32
    assert response["X-Request-ID"] == event.request_id


def test_sign_out_and_failed_sign_in_are_audited_without_the_password(client, world):
    client.post(reverse("login"), {"username": "alice", "password": "wrong-password-123"})
    failed = last("auth.login_failed")
    assert failed.actor_username == "alice"
    assert failed.actor_public_id == str(world.alice.public_id)
    assert "wrong-password-123" not in str(failed.detail)
    client.post(reverse("login"), {"username": "nobody-here", "password": "x"})
    unknown = last("auth.login_failed")
    assert (unknown.actor_username, unknown.actor_public_id) == ("nobody-here", "")
    client.force_login(world.alice)
    client.post(reverse("logout"))
    assert last("auth.logout").actor_public_id == str(world.alice.public_id)


def test_asking_for_another_clinics_patient_is_audited_as_a_probe(client, world):
    patient = world.patient()
    client.force_login(world.bob)
    response = client.get(f"/api/v1/patients/{patient.public_id}")
    assert response.status_code == 404
    probe = last("access.not_found")
    assert probe.actor_public_id == str(world.bob.public_id)
    assert probe.detail["path"] == f"/api/v1/patients/{patient.public_id}"


def test_a_forbidden_answer_is_audited_as_access_denied(client, world):
    csrf_client = client.__class__(enforce_csrf_checks=True)
    csrf_client.force_login(world.alice)
    response = csrf_client.post("/api/v1/patients/", {}, content_type="application/json")
    assert response.status_code == 403
    event = last("access.denied")
    assert event.detail == {"method": "POST", "path": "/api/v1/patients/", "status": 403}


def test_a_selector_outside_a_request_records_the_read_at_once(world):
    """A Django shell or a script reads through the same selectors: each read is recorded."""
    patient = world.patient()
    patient_get_for_user(user=world.frank, public_id=patient.public_id)
    event = AuditEvent.objects.latest("sequence")
    assert event.action == "patient.view"
    assert (event.actor_role, event.clinic_public_id) == (
        "front_desk",
        str(world.clinic_a.public_id),
    )
    assert event.patient_public_id == str(patient.public_id)
    episode = world.episode(patient)
    episode_get_for_user(user=world.alice, public_id=episode.public_id)
    assert AuditEvent.objects.latest("sequence").action == "episode.view"
