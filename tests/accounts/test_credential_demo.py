"""The demo's clinic admins see their clinician's credential on the staff credentials page."""

from __future__ import annotations

import pytest
from django.test import Client

from needlerx.accounts.models import User
from needlerx.demo.catalogue import DEMO_CLINICS, demo_staff_name
from needlerx.demo.generator import create_demo_network


@pytest.mark.django_db
def test_each_demo_admin_sees_their_clinicians_current_credential(client: Client):
    create_demo_network()
    for clinic in DEMO_CLINICS:
        client.force_login(User.objects.get(username=f"admin.{clinic.slug}"))
        page = client.get("/account/staff/credentials/").content.decode()
        first, last = demo_staff_name(clinic, "clinician")
        assert f"{first} {last}" in page and "Current until" in page
        assert "Demo Dry Needling Institute" in page
        assert f"({clinic.country}-{clinic.region})" in page
