"""The demo fills each clinic's queue once: reloading adds no second batch."""

from __future__ import annotations

import pytest

from needlerx.consultations.models import ConsultationRequest
from needlerx.demo.consultations import PER_CLINIC, load_consultation_requests
from tests.consultations.test_queue import signed_in

pytestmark = pytest.mark.django_db


def test_the_demo_queue_has_requests_once(world):
    clinics = [world.clinic_a, world.clinic_b]
    assert load_consultation_requests(clinics, seed=7) == 2 * PER_CLINIC
    assert load_consultation_requests(clinics, seed=7) == 0
    assert ConsultationRequest.objects.filter(clinic=world.clinic_a).count() == PER_CLINIC
    response = signed_in(world.frank).get("/")
    assert response.context["new_consultation_requests"] == PER_CLINIC - 1
