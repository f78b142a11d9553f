"""Follow-ups 24-72 h after needling, made actionable from the clinic home, and consent
withdrawal from the session note."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from needlerx.audit.models import AuditEvent
from needlerx.treatments.models import AdverseEvent, ConsentRecord, FollowUp, TreatmentSession
from tests.personas import World
from tests.treatments.helpers import checked_session, consent, move_start, needle


def _needled(world: World, hours_ago: int = 30) -> TreatmentSession:
    patient = world.patient(phone="555-0100")
    episode = world.episode(patient)
    consent(world.alice, episode)
    session = checked_session(world.alice, episode)
    needle(world.alice, session)
    started = timezone.now() - dt.timedelta(hours=hours_ago)
    move_start(session, started)
    return TreatmentSession.objects.get(pk=session.pk)


def _url(session: TreatmentSession) -> str:
    return reverse("clinic:follow_up", args=[session.patient.public_id, session.public_id])


def test_the_home_lists_the_follow_up_due_with_a_link_to_record_it(client: Client, world: World):
    session = _needled(world)
    client.force_login(world.alice)
    home = client.get(reverse("home")).content.decode()
    assert f'href="{_url(session)}"' in home
    page = client.get(_url(session))
    assert page.status_code == 200 and b"Upper trapezius (left)" in page.content
    response = client.post(
        _url(session),
        {
            "part": "follow_up",
            "contacted_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "method": "phone",
            "outcome": "well",
            "notes": "A little sore, settling.",
        },
    )
    assert response.status_code == 302
    assert FollowUp.objects.get().outcome == "well"
    assert _url(session) not in client.get(reverse("home")).content.decode()


def test_unreachable_keeps_it_due_and_counts_the_attempt(client: Client, world: World):
    session = _needled(world)
    client.force_login(world.alice)
    now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    client.post(
        _url(session),
        {"part": "follow_up", "contacted_at": now, "method": "phone", "outcome": "unreachable"},
    )
    home = client.get(reverse("home")).content.decode()
    assert _url(session) in home and "1 attempt" in home


def test_an_adverse_event_reported_at_follow_up_is_recorded_then_linked(
    client: Client, world: World
):
    session = _needled(world)
    client.force_login(world.alice)
    now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    follow_up = {
        "part": "follow_up",
        "contacted_at": now,
        "method": "phone",
        "outcome": "adverse_event",
    }
    refused = client.post(_url(session), follow_up)
    assert refused.status_code == 400
    assert (
        "record the adverse event in the register first"
        in (refused.context["follow_up_form"].errors["outcome"][0])
    )
    entry = session.needling_entries.get()
    response = client.post(
        _url(session),
        {
            "part": "adverse_event",
            "version": session.version,
            "event_type": "bruising",
            "severity": "mild",
            "onset_at": now,
            "needling_entry": str(entry.public_id),
            "action_taken": "Advised ice; reviewed next visit.",
        },
    )
    assert response.status_code == 302 and "outcome=adverse_event" in response["Location"]
    event = AdverseEvent.objects.get()
    assert (event.session_id, event.needling_entry_id) == (session.pk, entry.pk)
    assert client.post(_url(session), follow_up).status_code == 302
    assert FollowUp.objects.get().outcome == "adverse_event"


def test_follow_up_errors_are_next_to_the_field(client: Client, world: World):
    session = _needled(world)
    client.force_login(world.alice)
    response = client.post(_url(session), {"part": "follow_up", "method": "pigeon"})
    assert response.status_code == 400
    errors = response.context["follow_up_form"].errors
    assert {"contacted_at", "method", "outcome"} <= set(errors)
    assert not FollowUp.objects.exists()


def test_another_clinic_cannot_open_or_record_a_follow_up(client: Client, world: World):
    session = _needled(world)
    client.force_login(world.bob)
    assert client.get(_url(session)).status_code == 404
    response = client.post(
        _url(session), {"part": "follow_up", "method": "phone", "outcome": "well"}
    )
    assert response.status_code == 404
    assert not FollowUp.objects.exists()


def test_consent_is_withdrawn_from_the_session_note(client: Client, world: World):
    session = _needled(world)
    record = ConsentRecord.objects.get()
    client.force_login(world.alice)
    page = client.get(
        reverse("clinic:session", args=[session.patient.public_id, session.public_id])
    )
    assert b"Withdraw consent" in page.content
    url = reverse(
        "clinic:session_step",
        args=[session.patient.public_id, session.public_id, "consent_withdraw"],
    )
    response = client.post(url, {"consent": str(record.public_id), "reason": "Changed mind"})
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.withdrawn_at is not None and record.withdrawal_reason == "Changed mind"
    assert AuditEvent.objects.filter(action="consent.withdraw").count() == 1
    again = client.post(url, {"consent": str(record.public_id)})
    assert again.status_code == 400 and b"already withdrawn" in again.content
    page = client.get(
        reverse("clinic:session", args=[session.patient.public_id, session.public_id])
    )
    assert b"Record signed consent" in page.content
