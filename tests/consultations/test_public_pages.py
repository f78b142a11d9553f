"""The public self-check and consultation request, from the visitor's side (HTTP client)."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client, override_settings

from needlerx.audit.models import AuditEvent
from needlerx.consultations.models import ConsultationRequest, RequestTally
from tests.consultations.helpers import request_form, self_check_form, token_from_result

pytestmark = pytest.mark.django_db


def _rows() -> tuple[int, int, int]:
    return (
        ConsultationRequest.objects.count(),
        AuditEvent.objects.count(),
        RequestTally.objects.count(),
    )


def test_the_self_check_is_public_and_has_a_question_per_entry():
    response = Client().get("/self-check/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Is dry needling right for me?" in body
    assert 'name="blood_thinner"' in body
    assert "suitab" not in body.lower()


@pytest.mark.parametrize(
    ("answers", "title"),
    [
        ({}, "Let&#x27;s talk"),
        ({"blood_thinner": True}, "Let&#x27;s talk"),
        ({"fever": True}, "Please see your doctor first"),
        ({"saddle_numbness": True}, "Seek urgent care now"),
        ({"weakness_worsening": True, "weakness_worsening_fast": True}, "Seek urgent care now"),
    ],
)
def test_the_outcome_page(answers, title):
    response = Client().post("/self-check/", self_check_form(**answers))
    body = response.content.decode()
    assert response.status_code == 200
    assert title in body
    assert "suitab" not in body.lower()


def test_the_urgent_outcome_says_what_to_do_and_which_symptoms():
    body = Client().post("/self-check/", self_check_form(stroke_signs=True)).content.decode()
    assert "Call 911" in body and "emergency department" in body
    assert "double vision" in body
    assert "Request a consultation" not in body  # no booking instead of urgent care


def test_completing_the_self_check_stores_nothing():
    client = Client()
    before = _rows()
    client.get("/self-check/")
    client.post("/self-check/", self_check_form(blood_thinner=True, pregnant=True))
    client.post("/self-check/", self_check_form(fever=True))
    assert _rows() == before


def test_an_unanswered_question_is_named():
    data = self_check_form()
    del data["fever"]
    response = Client().post("/self-check/", data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["fever"]
    assert "Please answer yes or no." in response.content.decode()


def test_the_speed_question_must_be_answered_when_weakness_worsens():
    response = Client().post("/self-check/", self_check_form(weakness_worsening=True))
    assert list(response.context["form"].errors) == ["weakness_worsening_fast"]


def test_no_personal_data_in_urls():
    client = Client()
    response = client.post("/self-check/", self_check_form())
    body = response.content.decode()
    forms = re.findall(r'<form[^>]*action="([^"]*)"', body)
    assert forms and all("?" not in action for action in forms)
    assert 'method="post" action="/request-a-consultation/"' in body


def test_a_request_is_stored_audited_and_confirmed_by_email(world):
    client = Client()
    response = client.post("/request-a-consultation/", request_form(world.clinic_a))
    assert response.status_code == 302
    assert response["Location"] == "/request-a-consultation/sent/"
    request = ConsultationRequest.objects.get()
    assert (request.clinic, request.given_name, request.status) == (world.clinic_a, "Robin", "new")
    assert request.preferred_days == ["tuesday", "thursday"]
    assert request.self_check_answers is None
    event = AuditEvent.objects.get(action="consultation_request.submit")
    assert event.object_public_id == str(request.public_id)
    [message] = mail.outbox
    assert message.to == ["robin@example.com"]
    assert "Clinic A" in message.subject
    assert "Thank you" in client.get(response["Location"]).content.decode()


def test_answers_are_stored_only_when_shared(world):
    client = Client()
    token = token_from_result(client, blood_thinner=True)
    page = client.post("/request-a-consultation/", {"start": "self-check", "self_check": token})
    assert page.status_code == 200
    assert "Your self-check answers" in page.content.decode()
    assert page.context["form"].errors == {}
    client.post(
        "/request-a-consultation/",
        request_form(world.clinic_a, self_check=token, share_answers="on", email="a@example.com"),
    )
    client.post(
        "/request-a-consultation/",
        request_form(world.clinic_a, self_check=token, email="b@example.com"),
    )
    shared = ConsultationRequest.objects.get(email="a@example.com")
    assert shared.self_check_answers is not None
    assert shared.self_check_answers["blood_thinner"] is True
    assert shared.self_check_outcome == "talk"
    assert ConsultationRequest.objects.get(email="b@example.com").self_check_answers is None


def test_a_forged_token_shares_nothing(world):
    client = Client()
    response = client.post(
        "/request-a-consultation/",
        request_form(world.clinic_a, self_check="forged:token", share_answers="on"),
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["share_answers"]
    assert ConsultationRequest.objects.count() == 0


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("given_name", ""),
        ("email", "not-an-email"),
        ("phone", "call me"),
        ("pain_area", "knee"),
        ("clinic", "00000000-0000-0000-0000-000000000000"),
        ("consent_to_contact", None),
        ("preferred_days", ["sunday"]),
    ],
)
def test_bad_input_is_named_and_nothing_is_stored(world, field, value):
    response = Client().post(
        "/request-a-consultation/", request_form(world.clinic_a, **{field: value})
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert ConsultationRequest.objects.count() == 0
    assert mail.outbox == []


def test_consent_is_required_in_words(world):
    response = Client().post(
        "/request-a-consultation/", request_form(world.clinic_a, consent_to_contact=None)
    )
    assert "We can only contact you if you agree." in response.content.decode()


def test_the_honeypot_is_refused_silently(world):
    response = Client().post(
        "/request-a-consultation/", request_form(world.clinic_a, website="http://spam.example")
    )
    assert response.status_code == 302
    assert response["Location"] == "/request-a-consultation/sent/"
    assert ConsultationRequest.objects.count() == 0
    assert mail.outbox == []
    assert not AuditEvent.objects.filter(action="consultation_request.submit").exists()


@override_settings(CONSULTATION_REQUESTS_PER_WINDOW=2)
def test_the_rate_limit_is_per_address_and_audited_once(world):
    first, second = Client(REMOTE_ADDR="203.0.113.7"), Client(REMOTE_ADDR="198.51.100.9")
    for n in range(2):
        response = first.post(
            "/request-a-consultation/", request_form(world.clinic_a, email=f"{n}@example.com")
        )
        assert response.status_code == 302
    for _ in range(2):
        refused = first.post("/request-a-consultation/", request_form(world.clinic_a))
        assert refused.status_code == 429
        assert "too many requests" in refused.content.decode().lower()
    assert second.post("/request-a-consultation/", request_form(world.clinic_a)).status_code == 302
    assert ConsultationRequest.objects.count() == 3
    [event] = AuditEvent.objects.filter(action="consultation_request.rate_limited")
    assert event.detail["limit"] == 2
    assert "203.0.113.7" not in str(event.detail)
    assert not RequestTally.objects.filter(address_key__contains="203.0.113").exists()


@override_settings(CONSULTATION_REQUESTS_PER_WINDOW=1)
def test_honeypot_attempts_count_towards_the_limit(world):
    bot = Client(REMOTE_ADDR="192.0.2.44")
    bot.post("/request-a-consultation/", request_form(world.clinic_a, website="x"))
    assert bot.post("/request-a-consultation/", request_form(world.clinic_a)).status_code == 429


def test_public_pages_show_no_staff_data(world):
    world.patient(given_name="Staffonly", family_name="Secretname")
    client = Client()
    for path in ("/self-check/", "/request-a-consultation/", "/request-a-consultation/sent/"):
        body = client.get(path).content.decode()
        assert "Secretname" not in body
        assert "Sign out" not in body
        assert "suitab" not in body.lower()
    body = client.get("/request-a-consultation/").content.decode()
    assert "Clinic A" in body and "Clinic B" in body  # the network's clinics, nothing more
