from __future__ import annotations

from django.core.management import call_command

from needlerx.accounts.models import Membership, User
from needlerx.audit.models import AuditEvent
from needlerx.clinical.screening import screen
from needlerx.demo.catalogue import DEMO_CLINICS
from needlerx.patients.models import Episode, HistoryFact, Patient
from needlerx.patients.selectors import patient_list_for_user


def test_demo_loads_once_and_prints_every_login(db, capsys):
    call_command("demo", "--no-serve", "--patients", "30")
    out = capsys.readouterr().out
    for clinic in DEMO_CLINICS:
        for prefix in ("clinician", "frontdesk", "admin"):
            assert f"{prefix}.{clinic.slug}" in out
    assert Patient.objects.count() == 30
    assert Episode.objects.count() == 30
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == {"clinician", "front_desk", "clinic_admin"}

    call_command("demo", "--no-serve")
    assert "already loaded" in capsys.readouterr().out
    assert Patient.objects.count() == 30


def test_demo_data_is_deterministic_for_a_seed(transactional_db):
    call_command("demo", "--no-serve", "--patients", "12", "--seed", "7")
    first = list(
        Patient.objects.order_by("medical_record_number").values_list(
            "public_id", "family_name", "date_of_birth"
        )
    )
    call_command("flush", "--no-input")  # clinical records protect their patients
    call_command("demo", "--no-serve", "--patients", "12", "--seed", "7")
    again = list(
        Patient.objects.order_by("medical_record_number").values_list(
            "public_id", "family_name", "date_of_birth"
        )
    )
    assert first == again


def test_demo_histories_are_valid_screening_facts_and_bulk_loads_are_audited(db):
    call_command("demo", "--no-serve", "--patients", "300")
    facts = set(HistoryFact.objects.values_list("fact", flat=True))
    assert {"pregnant", "lymphoedema_sites", "implanted_electrical_device"} <= facts
    for record in HistoryFact.objects.all():
        screen({record.fact: record.value}, [])  # raises on an unknown fact or wrong type
    assert AuditEvent.objects.filter(action="demo.bulk_load").exists()


def test_adding_patients_to_an_existing_demo_never_repeats_ids(db):
    call_command("demo", "--no-serve", "--patients", "9")
    call_command("demo", "--no-serve", "--patients", "9")
    assert Patient.objects.count() == 18
    assert Patient.objects.values("public_id").distinct().count() == 18


def test_demo_patients_are_found_by_name_mrn_and_date_of_birth(db):
    call_command("demo", "--no-serve", "--patients", "30")
    clinician = User.objects.get(username="clinician.denver")
    patients = Patient.objects.filter(clinic__memberships__user=clinician)
    assert patients.exists()
    for patient in patients[:10]:
        for term in (
            patient.family_name[:3],
            f"{patient.given_name} {patient.family_name}",
            patient.medical_record_number,
            patient.date_of_birth.isoformat(),
        ):
            found = patient_list_for_user(user=clinician, search=term)
            assert found.filter(pk=patient.pk).exists(), term


def test_demo_load_shows_a_progress_bar_up_to_every_patient(db, capsys):
    call_command("demo", "--no-serve", "--patients", "30")
    last = capsys.readouterr().err.strip().split("\r")[-1]
    assert "[" + "#" * 30 + "]" in last
    assert "30 / 30 patients (100%)" in last
    assert "about    0 s left" in last
