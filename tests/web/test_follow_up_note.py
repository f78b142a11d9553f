"""The fast follow-up note over HTTP: carried forward from the last signed visit, confirmed (not
auto-recorded), pain asked once, saved in place for htmx and by a plain POST without JavaScript,
and the evaluation note types shown and sealed."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from needlerx.accounts.local import clinic_conventions, clinic_today
from needlerx.audit.models import AuditEvent
from needlerx.core.errors import ApplicationError
from needlerx.core.local import format_day_of
from needlerx.instruments.models import InstrumentResponse
from needlerx.patients.models import Episode, EpisodeStatus
from needlerx.patients.services import history_fact_record
from needlerx.treatments import services
from needlerx.treatments.models import TreatmentSession
from needlerx.treatments.recheck import findings_needing_rationale
from needlerx.treatments.selectors.seal import note_seal_verify
from tests.browser.test_follow_up_note import MUSCLES, signed_last_visit
from tests.personas import World
from tests.treatments.helpers import answer_required_questions, fresh

HTMX = {"HX-Request": "true"}


def _start(client: Client, world: World) -> tuple[Any, Any]:
    patient = world.patient()
    episode = world.episode(patient, regions=["cervical", "thoracic"])
    answer_required_questions(world.alice, patient)
    client.force_login(world.alice)
    return patient, episode


def _new(client: Client, patient: Any, episode: Any, note_type: str = "treatment") -> Any:
    url = reverse("clinic:session_new", args=[patient.public_id, episode.public_id])
    response = client.post(url, {"note_type": note_type})
    assert response.status_code == 302
    return TreatmentSession.objects.filter(signed_at__isnull=True).get()


def _step(client: Client, session: Any, step: str, data: dict[str, Any], htmx: bool = False) -> Any:
    session.refresh_from_db()
    url = reverse("clinic:session_step", args=[session.patient.public_id, session.public_id, step])
    return client.post(url, {"version": session.version, **data}, headers=HTMX if htmx else None)


def _carried_data(pain: int | None = 4) -> dict[str, Any]:
    data: dict[str, Any] = {} if pain is None else {"pain_now": pain}
    for index in range(len(MUSCLES)):
        data |= {
            f"keep_{index}": "on",
            f"insertions_{index}": 3,
            f"needles_{index}": 2,
            f"max_depth_mm_{index}": 12,
            f"needle_length_mm_{index}": 30,
        }
    return data


def test_the_last_visit_arrives_carried_forward_to_confirm_not_recorded(
    client: Client, world: World
):
    patient, episode = _start(client, world)
    last = signed_last_visit(world, episode)
    draft = _new(client, patient, episode)
    page = client.get(reverse("clinic:session", args=[patient.public_id, draft.public_id]))
    html = page.content.decode()
    assert "visit: pain, and the muscles from last time" in html
    assert "Levator scapulae (right)" in html and "Splenius capitis (right)" in html
    assert last.plan_notes in html  # the plan, filled in and editable
    assert draft.needling_entries.count() == 0 and draft.safety_checked_at is None
    # the pain is asked with the carried muscles, not a second time in the subjective
    assert html.count('name="pain_now"') == 1

    leave_out_splenius = _carried_data() | {"keep_2": ""}
    response = _step(client, draft, "carried", leave_out_splenius)
    assert response.status_code == 302
    draft = fresh(draft)
    assert draft.safety_checked_at is not None  # a fresh re-check today
    assert [e.muscle for e in draft.needling_entries.order_by("id")] == [
        "upper_trapezius",
        "levator_scapulae",
    ]
    confirmed = draft.carried_forward_confirmed or {}
    assert confirmed["changed"] is True and confirmed["by"] == "alice"
    api = client.get(f"/api/v1/sessions/{draft.public_id}").json()
    assert api["carried_forward_confirmed"]["changed"] is True
    assert len(api["carried_forward_confirmed"]["entries"]) == 2
    again = client.get(reverse("clinic:session", args=[patient.public_id, draft.public_id]))
    assert "changed and confirmed by the clinician" in again.content.decode()


def test_pain_is_asked_once_and_is_the_visits_pain_measure(client: Client, world: World):
    patient, episode = _start(client, world)
    signed_last_visit(world, episode)
    draft = _new(client, patient, episode)
    assert _step(client, draft, "carried", _carried_data(pain=6)).status_code == 302
    draft = fresh(draft)
    measures = InstrumentResponse.objects.filter(instrument="nprs", session=draft)
    assert [m.score for m in measures] == [6.0]
    assert draft.pain_now == draft.pain_before == 6
    # a corrected pain corrects the measure: still one measure of the visit, same value
    assert _step(client, draft, "subjective", {"pain_now": 5}).status_code == 302
    draft = fresh(draft)
    assert [m.score for m in measures.all()] == [5.0]
    assert draft.pain_now == draft.pain_before == 5


def test_a_section_saves_in_place_for_htmx_and_by_a_plain_post_without_javascript(
    client: Client, world: World
):
    patient, episode = _start(client, world)
    draft = _new(client, patient, episode)
    fragment = _step(
        client, draft, "subjective", {"subjective_notes": "Better mornings."}, htmx=True
    )
    assert fragment.status_code == 200
    html = fragment.content.decode()
    assert '<div id="note"' in html and "<html" not in html
    assert "Subjective saved." in html
    assert fresh(draft).subjective_notes == "Better mornings."
    # a refusal answers the fragment with the error, status 400, nothing saved
    refused = _step(client, draft, "subjective", {"pain_now": 11}, htmx=True)
    assert refused.status_code == 400 and "<html" not in refused.content.decode()
    assert fresh(draft).pain_now is None
    # without JavaScript: the same form posts and redirects to the full note
    plain = _step(client, draft, "subjective", {"subjective_notes": "Worse evenings."})
    assert plain.status_code == 302
    assert fresh(draft).subjective_notes == "Worse evenings."
    page = client.get(plain["Location"])
    assert "<html" in page.content.decode() and "Subjective saved." in page.content.decode()
    # signing is never in place: it leaves for the signed note
    signing = _step(client, draft, "sign", {}, htmx=True)
    assert signing.status_code == 400 and "<html" in signing.content.decode()


def test_the_stale_version_is_refused_in_place_too(client: Client, world: World):
    patient, episode = _start(client, world)
    draft = _new(client, patient, episode)
    url = reverse("clinic:session_step", args=[patient.public_id, draft.public_id, "subjective"])
    client.post(url, {"version": draft.version, "subjective_notes": "First."}, headers=HTMX)
    stale = client.post(
        url, {"version": draft.version, "subjective_notes": "Second."}, headers=HTMX
    )
    assert stale.status_code == 400
    assert fresh(draft).subjective_notes == "First."


def test_a_discharge_note_shows_and_seals_its_evaluation_fields(client: Client, world: World):
    patient, episode = _start(client, world)
    draft = _new(client, patient, episode, note_type="discharge")
    html = client.get(
        reverse("clinic:session", args=[patient.public_id, draft.public_id])
    ).content.decode()
    assert "Session note: discharge" in html
    for label in ("History (subjective)", "Systems review", "Tests and measures", "Goals"):
        assert label in html
    assert "Reason for discharge" in html and "Status at discharge" in html
    fields = {
        "history": "Neck pain for 3 months, better with exercise.",
        "systems_review": "Cardiopulmonary unremarkable.",
        "tests_and_measures": "Cervical rotation 70 degrees both ways.",
        "goals": "Met: drive without pain.",
        "discharge_reason": "Goals met.",
        "discharge_status": "Independent with home exercises.",
    }
    assert _step(client, draft, "evaluation", fields).status_code == 302
    assert _step(client, draft, "response", {"assessment": "Ready for discharge."}).status_code
    draft = fresh(draft)
    signed = services.treatment_session_sign(
        actor=world.alice, session=draft, expected_version=draft.version
    )
    assert signed.sealed_snapshot is not None
    content = signed.sealed_snapshot["content"]
    assert content["note_type"] == "discharge"
    assert content["evaluation"] == fields
    assert note_seal_verify(signed)["ok"]
    page = client.get(reverse("clinic:session", args=[patient.public_id, signed.public_id]))
    text = page.content.decode()
    assert "Discharge" in text and "Goals met." in text and "Independent with home" in text


def test_signing_a_discharge_note_discharges_its_episode(client: Client, world: World):
    """The episode is discharged on the day its discharge note is signed (audited, naming the
    note); new care then needs a new episode. Signing a follow-up note leaves it open."""
    patient, episode = _start(client, world)
    follow_up = _new(client, patient, episode)
    assert _step(client, follow_up, "response", {"assessment": "Better."}).status_code == 302
    follow_up = fresh(follow_up)
    services.treatment_session_sign(
        actor=world.alice, session=follow_up, expected_version=follow_up.version
    )
    assert Episode.objects.get(pk=episode.pk).status == EpisodeStatus.OPEN
    draft = _new(client, patient, episode, note_type="discharge")
    assert _step(client, draft, "response", {"assessment": "Goals met."}).status_code == 302
    signing = _step(client, draft, "sign", {})
    assert signing.status_code == 302
    told = client.get(signing["Location"]).content.decode()
    assert "Note signed and locked." in told and "The episode of care is discharged." in told
    signed = fresh(draft)
    assert signed.signed_at is not None
    after = Episode.objects.get(pk=episode.pk)
    assert after.status == EpisodeStatus.DISCHARGED
    assert after.discharged_on == clinic_today(patient.clinic)
    event = AuditEvent.objects.get(action="episode.discharge")
    assert event.detail["by_note"] == str(signed.public_id)
    with pytest.raises(ApplicationError, match="discharged"):
        services.treatment_session_start(actor=world.alice, episode=after)
    chart = client.get(reverse("patients:detail", args=[patient.public_id])).content.decode()
    assert "Discharged" in chart and "New session note" not in chart


def test_a_discharge_note_waits_for_the_episodes_other_drafts(client: Client, world: World):
    """A discharge note closes its episode, so it is signed last: while another note of the
    episode is a draft, the discharge note's page names that draft (its day where the clinic is,
    and who writes it) and signing it is refused, leaving the episode open."""
    patient, episode = _start(client, world)
    follow_up = _new(client, patient, episode)
    assert _step(client, follow_up, "response", {"assessment": "Better."}).status_code == 302
    url = reverse("clinic:session_new", args=[patient.public_id, episode.public_id])
    assert client.post(url, {"note_type": "discharge"}).status_code == 302
    discharge = TreatmentSession.objects.get(note_type="discharge")
    assert _step(client, discharge, "response", {"assessment": "Goals met."}).status_code == 302
    day = format_day_of(fresh(follow_up).started_at, clinic_conventions(patient.clinic))
    page = client.get(reverse("clinic:session", args=[patient.public_id, discharge.public_id]))
    html = page.content.decode()
    assert f"Sign the episode&#x27;s other draft notes first: {day} by " in html
    draft_url = reverse("clinic:session", args=[patient.public_id, follow_up.public_id])
    assert f'<a href="{draft_url}">Open the draft of {day}</a>' in html
    discharge = fresh(discharge)
    with pytest.raises(ApplicationError, match="other draft notes") as refused:
        services.treatment_session_sign(
            actor=world.alice, session=discharge, expected_version=discharge.version
        )
    assert (refused.value.field, refused.value.code) == ("episode", "cannot_sign")
    assert Episode.objects.get(pk=episode.pk).status == EpisodeStatus.OPEN
    assert fresh(discharge).signed_at is None
    follow_up = fresh(follow_up)
    services.treatment_session_sign(
        actor=world.alice, session=follow_up, expected_version=follow_up.version
    )
    assert _step(client, discharge, "sign", {}).status_code == 302
    assert fresh(discharge).signed_at is not None
    assert Episode.objects.get(pk=episode.pk).status == EpisodeStatus.DISCHARGED


def test_a_follow_up_without_the_new_fields_seals_as_before(client: Client, world: World):
    """A plain follow-up note's content has no note type or evaluation keys, so the seals of
    notes signed before note types existed still match their rows."""
    patient, episode = _start(client, world)
    draft = _new(client, patient, episode)
    assert _step(client, draft, "response", {"assessment": "Fine."}).status_code == 302
    draft = fresh(draft)
    signed = services.treatment_session_sign(
        actor=world.alice, session=draft, expected_version=draft.version
    )
    assert signed.sealed_snapshot is not None
    assert "note_type" not in signed.sealed_snapshot["content"]
    assert "evaluation" not in signed.sealed_snapshot["content"]
    assert note_seal_verify(signed)["ok"]


def test_an_unknown_note_type_is_refused(client: Client, world: World):
    patient, episode = _start(client, world)
    url = reverse("clinic:session_new", args=[patient.public_id, episode.public_id])
    response = client.post(url, {"note_type": "surgery"})
    assert response.status_code == 302
    assert not TreatmentSession.objects.exists()


def test_the_api_starts_an_evaluation_note_and_carries_forward_on_request(
    client: Client, world: World
):
    _patient, episode = _start(client, world)
    signed_last_visit(world, episode)

    def start(body: dict[str, Any]) -> Any:
        return client.post(
            f"/api/v1/episodes/{episode.public_id}/sessions",
            data=json.dumps(body),
            content_type="application/json",
        )

    refused = start({"note_type": "surgery"})
    assert refused.status_code == 400 and "note type" in refused.content.decode()
    evaluation = start({"note_type": "re_evaluation"})
    assert evaluation.status_code == 201
    note = TreatmentSession.objects.get(public_id=evaluation.json()["id"])
    assert note.note_type == "re_evaluation" and note.carried_forward is None
    assert evaluation.json()["note_type"] == "re_evaluation"
    patched = client.patch(
        f"/api/v1/sessions/{note.public_id}",
        data=json.dumps({"expected_version": note.version, "goals": "Reach overhead."}),
        content_type="application/json",
    )
    assert patched.status_code == 200
    assert fresh(note).goals == "Reach overhead."
    assert patched.json()["evaluation"]["goals"] == "Reach overhead."
    carried = start({"carry_forward": True})
    assert carried.status_code == 201
    follow_up = TreatmentSession.objects.get(public_id=carried.json()["id"])
    assert len((follow_up.carried_forward or {})["entries"]) == len(MUSCLES)
    assert follow_up.needling_entries.count() == 0


def test_a_new_finding_stops_the_carried_muscles_until_its_rationale_is_written(
    client: Client, world: World
):
    patient, episode = _start(client, world)
    signed_last_visit(world, episode)
    history_fact_record(
        actor=world.alice, patient=patient, fact="anticoagulant_therapy", value=True
    )
    draft = _new(client, patient, episode)
    refused = _step(client, draft, "carried", _carried_data(pain=5))
    assert refused.status_code == 400
    assert "rationale" in refused.content.decode()
    draft = fresh(draft)
    assert draft.needling_entries.count() == 0 and draft.carried_forward_confirmed is None
    assert draft.safety_checked_at is not None and draft.pain_now == 5  # kept, not lost
    lacking = [
        rule_id
        for rule_id in findings_needing_rationale(draft.safety_result)
        if not (draft.finding_rationales or {}).get(rule_id)
    ]
    assert lacking
    rationales = {
        f"rationale__{rule_id}": "Firm pressure after each needle." for rule_id in lacking
    }
    assert _step(client, draft, "rationale", rationales).status_code == 302
    checked_at = fresh(draft).safety_checked_at
    confirmed = _step(client, draft, "carried", _carried_data(pain=5))
    assert confirmed.status_code == 302, confirmed.content.decode()[:2000]
    draft = fresh(draft)
    assert draft.safety_checked_at == checked_at  # the re-check with its rationales was kept
    assert draft.needling_entries.count() == len(MUSCLES)
    assert InstrumentResponse.objects.filter(session=draft).count() == 1


def test_a_save_in_place_on_a_colleagues_draft_opens_the_note_again(client: Client, world: World):
    patient, episode = _start(client, world)
    draft = _new(client, patient, episode)
    services.treatment_session_take_over(actor=world.nora, session=draft)
    response = _step(client, draft, "subjective", {"subjective_notes": "Mine."}, htmx=True)
    assert response["HX-Redirect"] == reverse(
        "clinic:session", args=[patient.public_id, draft.public_id]
    )
    assert fresh(draft).subjective_notes == ""
    page = client.get(response["HX-Redirect"]).content.decode()
    assert "Take this note over before changing it" in page


def test_leaving_out_every_carried_muscle_records_no_needling_and_closes_the_offer(
    client: Client, world: World
):
    patient, episode = _start(client, world)
    signed_last_visit(world, episode)
    draft = _new(client, patient, episode)
    none_kept = {k: v for k, v in _carried_data(pain=3).items() if not k.startswith("keep_")}
    assert _step(client, draft, "carried", none_kept).status_code == 302
    draft = fresh(draft)
    assert draft.needling_entries.count() == 0 and draft.safety_checked_at is None
    assert (draft.carried_forward_confirmed or {})["entries"] == []
    html = client.get(
        reverse("clinic:session", args=[patient.public_id, draft.public_id])
    ).content.decode()
    assert "muscles from last time" not in html
    assert "were all left out today" in html
    assert html.count('name="pain_now"') == 1  # asked in the subjective again, with today's 3
