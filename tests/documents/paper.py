"""One clinic's patient with everything the documents show: a clinic with its letterhead (address,
phone, NPI, Denver time), a signed initial evaluation with needling and an addendum, six weeks of
measures (NPRS 7 -> 2 beyond its MCID), a plan of care with a goal and a home exercise, a signed
discharge note, and a draft note that must not be printed."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

import pypdfium2 as pdfium
from django.utils import timezone

from needlerx.accounts.models import Clinic
from needlerx.patients.models import Episode, Patient
from needlerx.treatments import services
from needlerx.treatments.models import NoteType, TreatmentSession
from needlerx.treatments.recheck import findings_needing_rationale, guidance_items
from needlerx.treatments.services.gates import guidance_acknowledged
from tests.personas import World
from tests.treatments.helpers import answer_required_questions, consent, fresh, needle
from tests.web.measures import record_course

NPI = "1234567893"
CLINIC_PHONE = "303-555-0142"
ADDRESS = "1200 Larimer Street"
GIVEN, FAMILY, MRN = "Rosalind", "Thistlewood", "DOC-1001"
HISTORY = "Neck pain for six weeks after a long drive"
ADDENDUM = "Patient called: soreness settled by the next morning."
GOAL = "Pain at worst 3 or less"
EXERCISE = "chin_tuck_supine"
AFTERCARE = ["soreness_expected", "pneumothorax_safety_net", "contact_clinic"]
RATIONALE = "Bolster under the shoulder; pincer grip; needle angled away from the lung."


@dataclass
class Paper:
    world: World
    clinic: Clinic
    patient: Patient
    episode: Episode
    evaluation: TreatmentSession
    discharge: TreatmentSession
    draft: TreatmentSession

    def episode_url(self, kind: str) -> str:
        episode = self.episode.public_id
        return f"/patients/{self.patient.public_id}/episodes/{episode}/documents/{kind}/"

    def session_url(self, session: TreatmentSession, kind: str) -> str:
        return f"/patients/{self.patient.public_id}/sessions/{session.public_id}/documents/{kind}/"


def _letterhead(clinic: Clinic) -> Clinic:
    Clinic.objects.filter(pk=clinic.pk).update(
        address_line_1=ADDRESS,
        city="Denver",
        postal_code="80204",
        phone=CLINIC_PHONE,
        npi=NPI,
        time_zone="America/Denver",
        date_style="month_first",
    )
    clinic.refresh_from_db()
    return clinic


def _checked(world: World, episode: Episode, note_type: str) -> TreatmentSession:
    session = services.treatment_session_start(
        actor=world.alice, episode=episode, note_type=note_type
    )
    session = services.treatment_session_safety_check(
        actor=world.alice,
        session=session,
        plan=[{"muscle": "upper_trapezius", "side": "left", "technique": "static"}],
    )
    lacking = [r for r in findings_needing_rationale(session.safety_result)]
    if lacking:
        session = services.treatment_session_precaution_rationale(
            actor=world.alice, session=session, rationales=dict.fromkeys(lacking, RATIONALE)
        )
    if set(guidance_items(session.safety_result)) - guidance_acknowledged(session):
        services.technique_guidance_acknowledge(actor=world.alice, session=session)
    return fresh(session)


def _sign(world: World, session: TreatmentSession, **fields: Any) -> TreatmentSession:
    session = fresh(session)
    used = sum(e.needles or 0 for e in session.needling_entries.all())
    if used:
        session = services.treatment_session_needle_count(
            actor=world.alice, session=session, needles_used=used, needles_removed=used
        )
    session = services.treatment_session_update(
        actor=world.alice, session=session, expected_version=session.version, **fields
    )
    return services.treatment_session_sign(
        actor=world.alice, session=session, expected_version=session.version
    )


def paper_world(world: World) -> Paper:
    clinic = _letterhead(world.clinic_a)
    patient = world.patient(given_name=GIVEN, family_name=FAMILY, mrn=MRN)
    world.evaluate(patient)
    answer_required_questions(world.alice, patient)
    episode = world.episode(patient)
    record_course(world.alice, episode)
    consent(world.alice, episode)
    evaluation = _checked(world, episode, NoteType.INITIAL_EVALUATION)
    needle(world.alice, evaluation)
    evaluation = _sign(
        world,
        evaluation,
        history=HISTORY,
        systems_review="Unremarkable.",
        tests_and_measures="Cervical rotation left 45 degrees; NDI 40 %.",
        goals=GOAL,
        assessment="Myofascial neck pain; tolerated needling well.",
        plan_notes="Dry needling and exercise twice a week for six weeks.",
        aftercare_given=AFTERCARE,
    )
    services.treatment_session_addendum_add(actor=world.alice, session=evaluation, text=ADDENDUM)
    plan = services.care_plan_create(
        actor=world.alice,
        episode=episode,
        frequency_per_week=2,
        duration_weeks=6,
        interventions=["dry_needling", "therapeutic_exercise"],
        re_evaluation_on=timezone.localdate() + dt.timedelta(weeks=3),
        goals=[{"description": GOAL, "measure": "nprs", "target": 3}],
    )
    services.home_exercise_add(actor=world.alice, plan=plan, exercise_id=EXERCISE)
    discharge = services.treatment_session_start(
        actor=world.alice, episode=episode, note_type=NoteType.DISCHARGE
    )
    discharge = _sign(
        world,
        discharge,
        discharge_reason="Goals met.",
        discharge_status="Pain 2 of 10; full rotation.",
        assessment="Goals met; independent with the home program.",
        plan_notes="Continue the home program; return if the pain comes back.",
    )
    # A new complaint later: a draft on a new episode (a discharge note is signed last, so no
    # draft is left on the discharged episode).
    later = world.episode(patient, regions=["lumbar"])
    draft = services.treatment_session_start(actor=world.alice, episode=later)
    return Paper(world, clinic, patient, episode, fresh(evaluation), fresh(discharge), draft)


def pdf_text(content: bytes) -> str:
    """Every page's text as a reader copying from the PDF gets it, with line breaks (a table cell
    wraps) and runs of spaces made single spaces."""
    document = pdfium.PdfDocument(content)
    return " ".join(" ".join(page.get_textpage().get_text_range().split()) for page in document)


def page_count(content: bytes) -> int:
    return len(pdfium.PdfDocument(content))


def inked_share(content: bytes, page: int = 0) -> float:
    """The share of the page's pixels that are not (nearly) white: a blank page is ~0."""
    image = pdfium.PdfDocument(content)[page].render(scale=1).to_pil().convert("L")
    histogram: list[int] = image.histogram()  # 256 counts of grey levels
    return sum(histogram[:200]) / sum(histogram)


def save_png(content: bytes, path: str, page: int = 0) -> None:
    image = pdfium.PdfDocument(content)[page].render(scale=1.5).to_pil()
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    with open(path, "wb") as handle:
        handle.write(buffer.getvalue())
