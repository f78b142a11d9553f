from __future__ import annotations

from django.urls import reverse

from tests.personas import PASSWORD


def test_the_login_page_renders(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert b"Sign in" in response.content


def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get(reverse("patients:list"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_a_clinician_logs_in_and_sees_only_their_patients(client, world):
    world.patient(mrn="A-1", family_name="Mine")
    world.patient(clinic=world.clinic_b, mrn="B-1", family_name="Theirs")
    response = client.post(
        reverse("login"), {"username": "alice", "password": PASSWORD}, follow=True
    )
    assert response.status_code == 200
    assert b"Clinic home" in response.content
    response = client.get(reverse("patients:list"))
    assert b"Mine" in response.content
    assert b"Theirs" not in response.content


def test_patient_search_escapes_markup(client, world):
    client.force_login(world.alice)
    response = client.get(reverse("patients:list"), {"q": "<script>alert(1)</script>"})
    assert b"<script>alert(1)</script>" not in response.content
    assert b"&lt;script&gt;" in response.content
