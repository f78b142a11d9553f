from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from needlerx.clinical.treatment_reference import aftercare_reference
from needlerx.patients.services import history_fact_record
from needlerx.treatments.models import NeedlingEntry, TreatmentSession
from needlerx.treatments.recheck import findings_needing_rationale, guidance_items
from tests.personas import World
from tests.treatments.helpers import answer_required_questions
from tests.web.page_elements import parse_page

# The patient every test here starts from: BMI 18.0, so needling over the thorax (upper trapezius,
# levator scapulae) is a precaution needing a rationale, with the lung's technique guidance.
LOW_BMI_OVER_THE_LUNG = "REGION-PLEURA-LOW-BMI-001"
LUNG_GUIDANCE = "GUIDE-PLEURA-001"


class Note:
    """Drives the session-note pages the way the browser does: one step form at a time."""

    def __init__(self, client: Client, world: World) -> None:
        self.client = client
        self.patient = world.patient(weight_kg=52)  # BMI 18.0: a precaution over the lung
        self.episode = world.episode(self.patient, regions=["cervical", "thoracic"])
        answer_required_questions(world.alice, self.patient)
        client.force_login(world.alice)
        new = reverse("clinic:session_new", args=[self.patient.public_id, self.episode.public_id])
        response = client.post(new)
        assert response.status_code == 302
        self.session = TreatmentSession.objects.get()
        self.url = response["Location"]

    def step(self, step: str, data: dict[str, Any], status: int = 302) -> Any:
        self.session.refresh_from_db()
        url = reverse(
            "clinic:session_step", args=[self.patient.public_id, self.session.public_id, step]
        )
        response = self.client.post(url, {"version": self.session.version, **data})
        assert response.status_code == status, response.content.decode()[:3000]
        self.session.refresh_from_db()
        return response


def _consent(note: Note) -> None:
    name = note.patient.full_name
    note.step(
        "consent", {"template": "dry_needling_general", "signer_name": name, "signature_data": name}
    )


def _precautions_documented(note: Note, text: str) -> None:
    """The low-BMI screen's one precaution gets its rationale and the lung guidance is
    acknowledged; the facts are pinned, so a different screen fails here instead of adapting."""
    assert note.session.safety_decision == "proceed_with_precautions"
    assert set(findings_needing_rationale(note.session.safety_result)) == {LOW_BMI_OVER_THE_LUNG}
    assert set(guidance_items(note.session.safety_result)) == {LUNG_GUIDANCE}
    note.step("rationale", {f"rationale__{LOW_BMI_OVER_THE_LUNG}": text})
    note.step("guidance", {})


def _entry(note: Note, value: str, status: int = 302, **fields: Any) -> Any:
    data = {
        "entry": value,
        "needle_gauge_mm": "0.25",
        "needle_length_mm": "30",
        "max_depth_mm": "15",
        "insertions": 3,
        "needles": 3,
        "local_twitch_responses": 1,
        **fields,
    }
    return note.step("needling", data, status=status)


def _advice_label(advice_id: str) -> str:
    (label,) = [a.label for a in aftercare_reference().advice if a.id == advice_id]
    return label


def test_a_whole_session_note_from_plan_to_signature(client, world):
    note = Note(client, world)
    _consent(note)
    note.step(
        "subjective",
        {"pain_now": 6, "change_since_last": "same", "subjective_notes": "Neck pain at desk"},
    )
    note.step(
        "safety",
        {"technique": "static", "plan": ["upper_trapezius:left", "levator_scapulae:right"]},
    )
    _precautions_documented(note, "Pincer grip, 30 mm needle, aimed away from lung")
    _entry(note, "upper_trapezius:left:static")
    _entry(note, "levator_scapulae:right:static")
    assert NeedlingEntry.objects.count() == 2
    note.step("needle_count", {"needles_used": 6, "needles_removed": 5})  # 3 + 3 on the entries
    page = note.step("sign", {}, status=400).content.decode()
    assert "cannot be signed yet" in page and "needle count mismatch" in page
    alert = note.session.safety_alerts.get()
    note.step(
        "alert",
        {
            "alert": alert.public_id,
            "resolution": "found_and_disposed",
            "note": "Found on the couch, disposed of in the sharps bin",
        },
    )
    response = {"pain_before": 6, "pain_after": 3, "assessment": "Responding"}
    given = [
        "soreness_expected",
        "bruising_bleeding",
        "drowsiness_driving",
        "pneumothorax_safety_net",
    ]
    note.step("response", {**response, "aftercare_given": given})
    (blocker,) = note.client.get(note.url).context["blockers"]
    assert blocker[0] == "aftercare_given"  # the rules also require how to reach the clinic
    assert blocker[1].endswith(_advice_label("contact_clinic"))
    note.step("sign", {}, status=400)
    note.step("response", {**response, "aftercare_given": [*given, "contact_clinic"]})
    note.step("sign", {})
    note.session.refresh_from_db()
    assert note.session.is_signed
    page = note.client.get(note.url).content.decode()
    assert "Signed by" in page and "Add addendum" in page
    assert "Save subjective" not in page
    note.step("subjective", {"pain_now": 1}, status=400)
    note.step("addendum", {"text": "Patient called: soreness settled."})
    assert note.session.addenda.count() == 1


def test_an_excluded_muscle_cannot_be_chosen_in_the_safety_re_check(client, world):
    note = Note(client, world)
    history_fact_record(
        actor=world.alice,
        patient=note.patient,
        fact="lymphoedema_sites",
        value=[{"area": "chest_wall", "side": "left"}],
    )
    page = parse_page(client.get(note.url).content)
    assert "disabled" in page.by_id("choose-pectoralis_minor-left").attrs
    response = note.step(
        "safety", {"technique": "static", "plan": ["pectoralis_minor:left"]}, status=400
    )
    assert "cannot be chosen" in response.content.decode()
    note.session.refresh_from_db()
    assert note.session.safety_checked_at is None


def test_needling_errors_show_next_to_the_field_and_nothing_is_saved(client, world):
    note = Note(client, world)
    _consent(note)
    note.step("safety", {"technique": "static", "plan": ["levator_scapulae:right"]})
    _precautions_documented(note, "Documented")
    response = _entry(note, "levator_scapulae:right:static", max_depth_mm="40", status=400)
    errors = response.context["needling_form"]["max_depth_mm"].errors
    assert "deeper than the needle is long" in errors[0]
    assert not NeedlingEntry.objects.exists()


def test_needling_without_consent_is_refused(client, world):
    note = Note(client, world)
    note.step("safety", {"technique": "static", "plan": ["levator_scapulae:right"]})
    _precautions_documented(note, "Documented")
    response = _entry(note, "levator_scapulae:right:static", status=400)
    assert "no active consent" in response.content.decode()
    assert not NeedlingEntry.objects.exists()


def test_another_clinic_cannot_open_the_note(client, world):
    note = Note(client, world)
    client.force_login(world.bob)
    assert client.get(note.url).status_code == 404


def test_an_incomplete_re_check_blocks_needling_on_the_note_and_names_the_question(client, world):
    note = Note(client, world)
    history_fact_record(actor=world.alice, patient=note.patient, fact="pregnant", value=None)
    _consent(note)
    note.step("safety", {"technique": "static", "plan": ["upper_trapezius:left"]})
    assert note.session.safety_decision == "incomplete"
    page = _entry(note, "upper_trapezius:left:static", status=400).content.decode()
    assert "Pregnant" in page
    assert "answer these required questions" in page
    assert not NeedlingEntry.objects.exists()
