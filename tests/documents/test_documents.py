"""The documents a clinic hands over, read back from the PDF as the receiver would: the clinic's
letterhead and NPI, the patient, the signer, "generated on" in the clinic's time zone, the codes
and the MCID words; page 1 has ink on it; every export is one audited event; the same
permissions and clinic isolation as the pages; a draft note is refused."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client

from needlerx.accounts.local import clinic_conventions, clinic_now
from needlerx.audit.models import AuditEvent
from needlerx.core.local import format_date
from tests.documents.paper import (
    ADDENDUM,
    ADDRESS,
    CLINIC_PHONE,
    FAMILY,
    GIVEN,
    GOAL,
    HISTORY,
    MRN,
    NPI,
    Paper,
    inked_share,
    page_count,
    paper_world,
    pdf_text,
)
from tests.personas import World

SIGNED_BY_ALICE = "Electronically signed by Alice"


@pytest.fixture
def paper(world: World) -> Paper:
    return paper_world(world)


def _last_sequence() -> int:
    last = AuditEvent.objects.order_by("-sequence").first()
    return last.sequence if last else 0


def _events_since(sequence: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(sequence__gt=sequence).order_by("sequence"))


def _expected_words(paper: Paper) -> dict[str, tuple[str, ...]]:
    return {
        paper.episode_url("initial-evaluation"): (
            "Initial evaluation",
            HISTORY,
            "Upper trapezius (left)",
            SIGNED_BY_ALICE,
            ADDENDUM,
        ),
        paper.episode_url("progress-report"): (
            "Progress report",
            GOAL,
            "Met",
            "NPRS: Numeric Pain Rating Scale",
            "7 → 2",
            "Improved beyond the MCID",
            "MCID: at least 2 points and at least 30 % improvement",
            "It is not the effect of dry needling alone.",
            "2 times a week for 6 weeks",
            "Treating physical therapist: signature and date",
        ),
        paper.episode_url("discharge-summary"): (
            "Discharge summary",
            "Goals met.",
            "Pain 2 of 10; full rotation.",
            "Improved beyond the MCID",
            SIGNED_BY_ALICE,
        ),
        paper.episode_url("home-exercise-programme"): (
            "Home exercise program",
            "Chin tuck lying down",
            "1 set of 10 reps",
        ),
        paper.session_url(paper.evaluation, "session-note"): (
            "Session note",
            HISTORY,
            "Needle count: 2 used, 2 removed",
            SIGNED_BY_ALICE,
            ADDENDUM,
        ),
        paper.session_url(paper.evaluation, "superbill"): (
            "Superbill",
            "M54.2",
            "Cervicalgia",
            "20560",
            "Dry needling, 1 or 2 muscles (1 muscle counted)",
            "Units",
            "Trapezius",
            "Count each anatomical muscle",
            "A suggestion only",
        ),
    }


def test_each_document_reads_back_with_letterhead_patient_signer_and_generated_on(
    client: Client, paper: Paper
) -> None:
    client.force_login(paper.world.alice)
    now = clinic_now(paper.clinic)
    generated_on = f"Generated on {format_date(now.date(), clinic_conventions(paper.clinic))}"
    problems = []
    for url, words in _expected_words(paper).items():
        since = _last_sequence()
        response = client.get(url)
        assert response.status_code == 200, (url, response.content[:500])
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith('inline; filename="')
        assert f"-{FAMILY.lower()}-" in response["Content-Disposition"]
        text = pdf_text(response.content)
        common = (
            f"{GIVEN} {FAMILY}",
            MRN,
            "Clinic A",
            f"NPI {NPI}",
            ADDRESS,
            f"Phone {CLINIC_PHONE}",
            generated_on,
            str(now.tzname()),  # MST or MDT: Denver, not the server's UTC
            f"Page 1 of {page_count(response.content)}",
        )
        missing = [w for w in (*common, *words) if w not in text]
        if missing:
            problems.append(f"{url}: missing {missing}")
        if inked_share(response.content) < 0.01:
            problems.append(f"{url}: page 1 is (nearly) blank")
        [event] = _events_since(since)  # the export, which also records the read
        assert event.action == "document.export", url
        assert event.patient_public_id == str(paper.patient.public_id)
        assert event.detail["kind"] == url.rstrip("/").rsplit("/", 1)[1]
        assert event.actor_role == "clinician"
    assert not problems, "\n".join(problems)


def test_a_draft_note_is_not_printed_and_says_why(client: Client, paper: Paper) -> None:
    client.force_login(paper.world.alice)
    since = _last_sequence()
    page = client.get(paper.session_url(paper.draft, "session-note"))
    assert page.status_code == 409
    assert "This note is a draft: sign it before printing it" in page.content.decode()
    api = client.get(f"/api/v1/sessions/{paper.draft.public_id}/documents/superbill")
    assert api.status_code == 409
    assert api.json()["error"]["code"] == "conflict"
    assert "draft" in api.json()["error"]["message"]
    assert not [e for e in _events_since(since) if e.action == "document.export"]


def test_the_api_answers_a_pdf_and_names_the_kinds_it_knows(client: Client, paper: Paper) -> None:
    client.force_login(paper.world.alice)
    since = _last_sequence()
    response = client.get(f"/api/v1/episodes/{paper.episode.public_id}/documents/progress-report")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "Improved beyond the MCID" in pdf_text(response.content)
    [event] = _events_since(since)
    assert (event.action, event.detail["kind"]) == ("document.export", "progress-report")
    unknown = client.get(f"/api/v1/episodes/{paper.episode.public_id}/documents/superbill")
    assert unknown.status_code == 400
    message = unknown.json()["error"]["message"]
    assert "progress-report" in message and "home-exercise-programme" in message
    page = client.get(paper.episode_url("referral-letter"))
    assert page.status_code == 404
    assert "initial-evaluation, progress-report" in page.content.decode()


def test_front_desk_is_refused_and_another_clinic_gets_what_a_missing_id_gets(
    client: Client, paper: Paper
) -> None:
    world = paper.world
    episode_api = f"/api/v1/episodes/{paper.episode.public_id}/documents/progress-report"
    superbill_api = f"/api/v1/sessions/{paper.evaluation.public_id}/documents/superbill"
    client.force_login(world.frank)  # diagnoses and codes are clinical content
    for url in (
        episode_api,
        superbill_api,
        paper.episode_url("home-exercise-programme"),
        paper.session_url(paper.evaluation, "superbill"),
    ):
        since = _last_sequence()
        assert client.get(url).status_code == 403, url
        assert [e.action for e in _events_since(since)] == ["access.denied"], url
    client.force_login(world.bob)
    missing_episode = f"/api/v1/episodes/{uuid.uuid4()}/documents/progress-report"
    missing_session = f"/api/v1/sessions/{uuid.uuid4()}/documents/superbill"
    for real, missing in ((episode_api, missing_episode), (superbill_api, missing_session)):
        other, absent = client.get(real), client.get(missing)
        assert (
            (other.status_code, other.json())
            == (absent.status_code, absent.json())
            == (
                404,
                absent.json(),
            )
        )
        assert FAMILY not in other.content.decode()
    page = client.get(paper.episode_url("progress-report"))
    assert page.status_code == 404
    assert FAMILY not in page.content.decode()
