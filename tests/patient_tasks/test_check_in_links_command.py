"""``needlerx check_in_links``: the system emails the check-in link once a needling note is signed
and its check-in window is open, once per session."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client

from needlerx.clinical.treatment_rules import required_aftercare
from needlerx.patient_tasks.models import PatientTask
from needlerx.treatments import services
from needlerx.treatments.models import TreatmentSession
from tests.patient_tasks.helpers import LINK, needled_session
from tests.treatments.helpers import fresh

pytestmark = pytest.mark.django_db


def _signed(world, patient, hours_ago: int) -> TreatmentSession:
    session = needled_session(world, patient, hours_ago=hours_ago)
    services.treatment_session_needle_count(
        actor=world.alice, session=session, needles_used=2, needles_removed=2
    )
    session = fresh(session)
    advice = required_aftercare([("upper_trapezius", "static")], session.safety_facts)
    services.treatment_session_update(
        actor=world.alice,
        session=session,
        expected_version=session.version,
        aftercare_given=[a.id for a in advice],
        assessment="Tolerated well.",
    )
    session = fresh(session)
    return services.treatment_session_sign(
        actor=world.alice, session=session, expected_version=session.version
    )


def _run() -> str:
    err = StringIO()
    call_command("check_in_links", "--site-url", "https://clinic.example.org", stderr=err)
    return err.getvalue()


def test_a_signed_needling_note_in_its_window_gets_one_link_by_email(world):
    due = world.patient(email="due@example.com")
    session = _signed(world, due, hours_ago=30)
    _signed(world, world.patient(mrn="A-0002", email="early@example.com"), hours_ago=2)
    _signed(world, world.patient(mrn="A-0003", email=""), hours_ago=30)
    assert "1 check-in link(s) sent." in _run()
    assert [m.to for m in mail.outbox] == [["due@example.com"]]
    token = LINK.search(str(mail.outbox[0].body))
    assert token is not None and token.group(0).startswith("https://clinic.example.org/my/")
    task = PatientTask.objects.get()
    assert (task.session_id, task.created_by_id) == (session.pk, world.alice.pk)
    assert b"How are you after your visit?" in Client().get(f"/my/{token.group(1)}/").content
    assert "0 check-in link(s) sent." in _run()  # once per session
