"""Links that open nothing, from one address, are limited like the public forms: past the limit
every link from that address is refused (429) for the window, even a right one, so a scanner
learns nothing; other addresses are not affected; the first refusal is audited."""

from __future__ import annotations

import secrets

import pytest
from django.test import Client, override_settings

from needlerx.audit.models import AuditEvent
from tests.patient_tasks.helpers import send_link

pytestmark = pytest.mark.django_db


@override_settings(PATIENT_LINK_MISSES_PER_WINDOW=3)
def test_guessed_links_from_one_address_are_refused_after_the_limit(client, world):
    patient = world.patient(email="pat@example.com")
    episode = world.episode(patient)
    client.force_login(world.alice)
    token = send_link(
        client, patient, kind="questionnaire", instrument="nprs", episode=str(episode.public_id)
    )
    scanner = Client(REMOTE_ADDR="203.0.113.9")
    assert scanner.get(f"/my/{token}/").status_code == 200  # right links are not counted
    for _ in range(3):
        assert scanner.get(f"/my/{secrets.token_urlsafe(32)}/").status_code == 404
    assert scanner.get(f"/my/{token}/").status_code == 200  # at the limit, still served
    assert scanner.get(f"/my/{secrets.token_urlsafe(32)}/").status_code == 404
    refused = scanner.get(f"/my/{token}/")
    assert refused.status_code == 429 and b"Too many tries" in refused.content
    assert refused["Retry-After"] == "3600"
    assert scanner.post(f"/my/{token}/", {"item_1": "4"}).status_code == 429
    assert scanner.get(f"/my/{secrets.token_urlsafe(32)}/").status_code == 429
    assert AuditEvent.objects.filter(action="patient_task.link_rate_limited").count() == 1
    # the patient at home, on another network, is not affected
    assert (
        Client(REMOTE_ADDR="198.51.100.4").post(f"/my/{token}/", {"item_1": "4"}).status_code == 200
    )
