"""A colleague cannot silently edit another clinician's draft note (review finding L4): the
write services refuse them, and taking the note over is an explicit, audited act."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from needlerx.audit.models import AuditEvent
from needlerx.core.errors import ApplicationError, PermissionDenied
from needlerx.treatments import services
from needlerx.treatments.models import TreatmentSession
from tests.treatments.helpers import MULTIFIDUS, checked_session


def alices_draft(world) -> TreatmentSession:
    return checked_session(world.alice, world.episode(world.patient()), plan=[MULTIFIDUS])


def refusals(world, session: TreatmentSession):
    """Each write service on the draft, called by nora (a colleague in the same clinic)."""
    version = session.version
    return {
        "update": lambda: services.treatment_session_update(
            actor=world.nora, session=session, expected_version=version, assessment="nora's"
        ),
        "needle_count": lambda: services.treatment_session_needle_count(
            actor=world.nora, session=session, needles_used=0, needles_removed=0
        ),
        "safety_check": lambda: services.treatment_session_safety_check(
            actor=world.nora, session=session, plan=[MULTIFIDUS]
        ),
        "rationale": lambda: services.treatment_session_precaution_rationale(
            actor=world.nora, session=session, rationales={}
        ),
        "sign": lambda: services.treatment_session_sign(
            actor=world.nora, session=session, expected_version=version
        ),
    }


@pytest.mark.parametrize("write", ["update", "needle_count", "safety_check", "rationale", "sign"])
def test_a_colleague_cannot_change_the_draft(world, write):
    session = alices_draft(world)
    before = TreatmentSession.objects.get(pk=session.pk)
    with pytest.raises(PermissionDenied) as refused:
        refusals(world, session)[write]()
    assert "being written by" in refused.value.message
    assert "take it over" in refused.value.message
    after = TreatmentSession.objects.get(pk=session.pk)
    assert (after.version, after.assessment) == (before.version, before.assessment)


def test_taking_over_is_audited_and_makes_the_taker_the_clinician(world):
    session = alices_draft(world)
    taken = services.treatment_session_take_over(actor=world.nora, session=session)
    assert taken.clinician == world.nora
    assert taken.version == session.version + 1
    event = AuditEvent.objects.filter(action="treatment_session.take_over").get()
    assert (event.actor_username, event.object_public_id) == ("nora", str(session.public_id))
    assert event.detail["from_clinician"] == "alice"
    services.treatment_session_update(
        actor=world.nora, session=taken, expected_version=taken.version, assessment="nora's"
    )
    with pytest.raises(PermissionDenied):  # the previous writer is now the colleague
        services.treatment_session_update(
            actor=world.alice, session=taken, expected_version=taken.version + 1, assessment="a"
        )


def test_taking_over_your_own_note_or_a_stale_version_is_refused(world):
    session = alices_draft(world)
    with pytest.raises(ApplicationError, match="already the clinician"):
        services.treatment_session_take_over(actor=world.alice, session=session)
    with pytest.raises(ApplicationError) as stale:
        services.treatment_session_take_over(
            actor=world.nora, session=session, expected_version=session.version - 1
        )
    assert stale.value.code == "conflict"
    assert not AuditEvent.objects.filter(action="treatment_session.take_over").exists()


def test_another_clinics_clinician_cannot_take_over(world):
    session = alices_draft(world)
    with pytest.raises(PermissionDenied):
        services.treatment_session_take_over(actor=world.bob, session=session)


def api(client, method: str, url: str, body: dict[str, object] | None = None):
    return getattr(client, method)(
        f"/api/v1{url}", data=json.dumps(body or {}), content_type="application/json"
    )


def test_over_the_api_a_colleague_gets_403_then_takes_over(client, world):
    session = alices_draft(world)
    client.force_login(world.nora)
    url = f"/sessions/{session.public_id}"
    refused = api(client, "patch", url, {"expected_version": session.version, "assessment": "x"})
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "permission_denied"
    assert "take it over" in refused.json()["error"]["message"]
    taken = api(client, "post", f"{url}/take-over", {"expected_version": session.version})
    assert taken.status_code == 200
    assert taken.json()["clinician"] == "nora"
    saved = api(
        client, "patch", url, {"expected_version": taken.json()["version"], "assessment": "x"}
    )
    assert saved.status_code == 200


def session_url(session: TreatmentSession, step: str = "") -> str:
    if step:
        return reverse(
            "clinic:session_step", args=[session.patient.public_id, session.public_id, step]
        )
    return reverse("clinic:session", args=[session.patient.public_id, session.public_id])


def test_on_the_web_a_colleague_sees_a_take_over_button_instead_of_the_forms(client, world):
    session = alices_draft(world)
    client.force_login(world.nora)
    page = client.get(session_url(session))
    assert page.status_code == 200
    assert b"Take over this note" in page.content
    assert b"Save subjective" not in page.content
    posted = client.post(
        session_url(session, "subjective"),
        {"version": session.version, "subjective_notes": "nora's words"},
    )
    assert posted.status_code == 403
    assert TreatmentSession.objects.get(pk=session.pk).subjective_notes != "nora's words"
    taken = client.post(session_url(session, "take_over"), {"version": session.version})
    assert taken.status_code == 302
    assert TreatmentSession.objects.get(pk=session.pk).clinician == world.nora
    assert b"Save subjective" in client.get(session_url(session)).content


def test_the_writer_sees_the_forms_and_no_take_over_button(client, world):
    session = alices_draft(world)
    client.force_login(world.alice)
    page = client.get(session_url(session))
    assert b"Save subjective" in page.content
    assert b"Take over this note" not in page.content


def test_the_cli_refuses_a_colleague_then_takes_over(world):
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    session = alices_draft(world)
    ids = ["--user", "nora", "--session", str(session.public_id)]
    with pytest.raises(CommandError) as refused:
        call_command("treatment", "needle-count", *ids, "--used", "0", "--removed", "0")
    assert refused.value.returncode == 2
    assert "take it over" in str(refused.value)
    out = StringIO()
    call_command("treatment", "take-over", *ids, "--version", str(session.version), stdout=out)
    assert json.loads(out.getvalue())["clinician"] == "nora"
    assert AuditEvent.objects.filter(action="treatment_session.take_over").count() == 1
