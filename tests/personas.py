"""Named people for tests, in two clinics of one network.

- alice: clinician at Clinic A (Colorado), with a current dry-needling credential
- frank: front desk at Clinic A
- ada: clinic admin at Clinic A
- bob: clinician at Clinic B (Texas) — must never see Clinic A's patients
- nora: clinician at Clinic A with no dry-needling credential
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from needlerx.accounts import services as accounts
from needlerx.accounts.models import Clinic, User
from needlerx.patients import services as patients
from needlerx.patients.models import Episode, Patient

PASSWORD = "correct-horse-battery-staple"


@dataclass
class World:
    clinic_a: Clinic
    clinic_b: Clinic
    alice: User
    frank: User
    ada: User
    bob: User
    nora: User

    def patient(
        self, clinic: Clinic | None = None, mrn: str = "A-0001", **fields: object
    ) -> Patient:
        clinic = clinic or self.clinic_a
        actor = self.alice if clinic == self.clinic_a else self.bob
        values = {
            "given_name": "Pat",
            "family_name": "Example",
            "date_of_birth": dt.date(1980, 5, 17),
            "sex": "female",
            "height_cm": 170,
            "weight_kg": 65,
            **fields,
        }
        return patients.patient_register(
            actor=actor, clinic=clinic, medical_record_number=mrn, **values
        )

    def evaluate(self, patient: Patient, **facts: object) -> None:
        """A complete evaluation: every question the screen needs answered "no" (sites: none),
        then ``facts``; a test names only the facts it is about."""
        from tests.clinical.screening_helpers import answered

        actor = self.alice if patient.clinic == self.clinic_a else self.bob
        patients.history_facts_record(actor=actor, patient=patient, facts=answered(**facts))

    def episode(self, patient: Patient, regions: list[str] | None = None) -> Episode:
        actor = self.alice if patient.clinic == self.clinic_a else self.bob
        return patients.episode_open(
            actor=actor,
            patient=patient,
            regions=regions or ["cervical"],
            onset_date=timezone.localdate() - dt.timedelta(days=60),
            diagnosis_codes=["M54.2"],
        )


def _user(clinic: Clinic, username: str, role: str) -> User:
    return accounts.user_create(
        username=username, password=PASSWORD, clinic=clinic, role=role, first_name=username.title()
    )


@pytest.fixture
def world(db: None) -> World:
    clinic_a = accounts.clinic_create(
        network_name="Test Network", name="Clinic A", country="US", region="CO"
    )
    clinic_b = accounts.clinic_create(
        network_name="Test Network", name="Clinic B", country="US", region="TX"
    )
    alice = _user(clinic_a, "alice", "clinician")
    today = timezone.localdate()
    accounts.credential_add(
        user=alice,
        training_provider="Test Institute",
        hours=54,
        completed_on=today - dt.timedelta(days=100),
        expires_on=today + dt.timedelta(days=600),
        licence_number="PT-1",
        licence_country="US",
        licence_region="CO",
    )
    return World(
        clinic_a=clinic_a,
        clinic_b=clinic_b,
        alice=alice,
        frank=_user(clinic_a, "frank", "front_desk"),
        ada=_user(clinic_a, "ada", "clinic_admin"),
        bob=_user(clinic_b, "bob", "clinician"),
        nora=_user(clinic_a, "nora", "clinician"),
    )
