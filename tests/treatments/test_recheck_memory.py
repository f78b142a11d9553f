"""A rationale per finding, kept across the episode while the facts are unchanged; technique
guidance acknowledged once per episode; an incomplete screen blocks needling at every door;
electrode pairs that cross the chest or head are refused."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from needlerx.core.errors import ApplicationError
from needlerx.patients.services import history_fact_record
from needlerx.screening.models import ScreeningRun, ScreeningRunKind
from needlerx.screening.services import result_stored
from needlerx.treatments import services
from needlerx.treatments.models import TreatmentSession
from needlerx.treatments.recheck import findings_needing_rationale
from tests.treatments.helpers import (
    UPPER_TRAPEZIUS,
    answer_required_questions,
    checked_session,
    consent,
    fresh,
    needle,
)

AFTERCARE = ["soreness_expected", "pneumothorax_safety_net", "contact_clinic"]


def _sign(world: Any, session: TreatmentSession) -> TreatmentSession:
    session = fresh(session)
    total = sum(e.needles or 0 for e in session.needling_entries.all())
    session = services.treatment_session_needle_count(
        actor=world.alice, session=session, needles_used=total, needles_removed=total
    )
    session = services.treatment_session_update(
        actor=world.alice,
        session=session,
        expected_version=session.version,
        assessment="ok",
        aftercare_given=AFTERCARE,
    )
    return services.treatment_session_sign(
        actor=world.alice, session=session, expected_version=session.version
    )


LEAN = {"height_cm": 170, "weight_kg": 52}  # BMI 18.0: underweight, a finding over the lung


def test_each_finding_needs_its_own_rationale_and_the_refusal_names_it(world):
    episode = world.episode(world.patient(**LEAN))
    consent(world.alice, episode)
    session = checked_session(world.alice, episode, rationale="")
    needing = findings_needing_rationale(session.safety_result)
    assert needing, "the upper trapezius plan raises a finding that needs a rationale"
    with pytest.raises(ApplicationError) as refused:
        needle(world.alice, session)
    assert refused.value.field == "rationale"
    assert next(iter(needing.values()))["title"] in refused.value.message
    with pytest.raises(ApplicationError) as unknown:
        services.treatment_session_precaution_rationale(
            actor=world.alice, session=session, rationales={"NO-SUCH-RULE": "x"}
        )
    assert unknown.value.field == "rationales.NO-SUCH-RULE"


def test_a_follow_up_with_unchanged_facts_asks_for_no_new_rationale(world):
    episode = world.episode(world.patient(**LEAN))
    consent(world.alice, episode)
    first = checked_session(world.alice, episode, rationale="Pincer grip, angled away from lung.")
    needle(world.alice, first)
    _sign(world, first)
    second = services.treatment_session_start(actor=world.alice, episode=episode)
    second = services.treatment_session_safety_check(
        actor=world.alice, session=second, plan=[UPPER_TRAPEZIUS]
    )
    changes = second.safety_changes or {}
    assert changes["since_session"] == str(first.public_id)
    assert changes["new"] == [] and changes["changed"] == []
    assert set(changes["unchanged"]) == set(findings_needing_rationale(second.safety_result))
    kept = next(iter(second.finding_rationales.values()))
    assert kept["rationale"] == "Pincer grip, angled away from lung."
    assert kept["carried_from"] == str(first.public_id)
    assert needle(world.alice, second).pk  # no new rationale asked for


def test_the_note_dates_the_last_signed_re_check_on_the_clinic_s_day(client, world):
    """The comparison names the day of the last signed note where the clinic is: a zone twelve
    hours or more from UTC always puts that day on another date than UTC's."""
    episode = world.episode(world.patient(**LEAN))
    consent(world.alice, episode)
    first = checked_session(world.alice, episode, rationale="Pincer grip, angled away from lung.")
    needle(world.alice, first)
    signed = _sign(world, first).signed_at
    assert signed is not None
    second = services.treatment_session_start(actor=world.alice, episode=episode)
    services.treatment_session_safety_check(
        actor=world.alice, session=second, plan=[UPPER_TRAPEZIUS]
    )
    zone = "Etc/GMT+12" if signed.astimezone(dt.UTC).hour < 12 else "Pacific/Kiritimati"
    world.clinic_a.time_zone, world.clinic_a.date_style = zone, "month_first"
    world.clinic_a.save()
    client.force_login(world.alice)
    url = reverse("clinic:session", args=[episode.patient.public_id, second.public_id])
    page = client.get(url).content.decode()
    day = signed.astimezone(ZoneInfo(zone)).date()
    assert day != signed.astimezone(dt.UTC).date()
    assert f"Since the last signed re-check ({day:%b} {day.day}, {day.year})" in page


def test_a_new_finding_since_the_last_signed_note_needs_a_rationale(world):
    patient = world.patient()
    episode = world.episode(patient)
    consent(world.alice, episode)
    first = checked_session(world.alice, episode, rationale="Pincer grip, angled away from lung.")
    needle(world.alice, first)
    _sign(world, first)
    history_fact_record(
        actor=world.alice, patient=patient, fact="diabetes_peripheral_neuropathy", value=True
    )
    second = services.treatment_session_start(actor=world.alice, episode=episode)
    second = services.treatment_session_safety_check(
        actor=world.alice, session=second, plan=[UPPER_TRAPEZIUS]
    )
    changes = second.safety_changes or {}
    new = changes["new"] + changes["changed"]
    assert new, changes
    with pytest.raises(ApplicationError) as refused:
        needle(world.alice, second)
    assert refused.value.code == "rationale_required"


def _screened_as(session: TreatmentSession, result: dict[str, Any]) -> TreatmentSession:
    """The session as if its re-check had stored ``result`` (a stored run is never changed: the
    session is pointed at another run)."""
    run = session.safety_screen
    assert run is not None
    other = ScreeningRun.objects.create(
        episode=run.episode,
        patient=run.patient,
        clinic=run.clinic,
        facts=run.facts,
        plan=run.plan,
        practitioner=run.practitioner,
        stored_result=result_stored(result),
        decision=result["decision"],
        ruleset_version=run.ruleset_version,
        kind=ScreeningRunKind.SESSION_RECHECK,
        run_by=run.run_by,
        run_at=run.run_at,
    )
    TreatmentSession.objects.filter(pk=session.pk).update(safety_screen=other)
    return fresh(session)


def _with_guidance(session: TreatmentSession) -> TreatmentSession:
    result = dict(session.safety_result or {})
    for muscle in result["muscles"]:
        title = "Lung below: needle toward a rib or use a pincer grip"
        muscle["guidance"] = [
            {"id": "pleura_technique", "title": title, "message": "m", "actions": []}
        ]
    return _screened_as(session, result)


def test_technique_guidance_is_acknowledged_once_per_episode(world):
    episode = world.episode(world.patient())
    consent(world.alice, episode)
    first = _with_guidance(checked_session(world.alice, episode))
    with pytest.raises(ApplicationError) as refused:
        needle(world.alice, first)
    assert refused.value.code == "guidance_unacknowledged"
    ack = services.technique_guidance_acknowledge(actor=world.alice, session=first)
    assert ack.acknowledged_by == world.alice and ack.guidance_ids == ["pleura_technique"]
    needle(world.alice, fresh(first))
    second = _with_guidance(checked_session(world.alice, episode))
    assert needle(world.alice, second).pk  # acknowledged in this episode already
    with pytest.raises(ApplicationError):
        services.technique_guidance_acknowledge(actor=world.alice, session=fresh(second))


def test_an_incomplete_screen_blocks_needling_at_the_service_and_names_the_question(world):
    episode = world.episode(world.patient())
    consent(world.alice, episode)
    answer_required_questions(world.alice, episode.patient, unanswered=("pregnant",))
    session = services.treatment_session_start(actor=world.alice, episode=episode)
    session = services.treatment_session_safety_check(
        actor=world.alice, session=session, plan=[UPPER_TRAPEZIUS]
    )
    assert session.safety_decision == "incomplete"
    with pytest.raises(ApplicationError) as refused:
        needle(world.alice, session)
    assert refused.value.code == "screen_incomplete"
    assert "pregnant" in refused.value.message
    history_fact_record(actor=world.alice, patient=episode.patient, fact="pregnant", value=False)
    session = checked_session(world.alice, episode)
    assert needle(world.alice, session).pk  # answered: the re-check no longer blocks


def test_an_incomplete_re_check_blocks_needling_through_the_api_and_cli(client, world, tmp_path):
    episode = world.episode(world.patient())
    consent(world.alice, episode)
    session = checked_session(world.alice, episode)
    result = {**(session.safety_result or {}), "decision": "incomplete", "missing": ["pregnant"]}
    session = _screened_as(session, result)
    entry = {
        **UPPER_TRAPEZIUS,
        "needle_gauge_mm": 0.25,
        "needle_length_mm": 30,
        "max_depth_mm": 15,
        "insertions": 3,
        "needles": 2,
    }
    client.force_login(world.alice)
    refused = client.post(
        f"/api/v1/sessions/{session.public_id}/needling",
        json.dumps(entry),
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "screen_incomplete"
    assert "pregnant" in refused.json()["error"]["message"]
    path = tmp_path / "entry.json"
    path.write_text(json.dumps(entry))
    with pytest.raises(CommandError) as cli:
        call_command(
            "treatment",
            "needling",
            "--user",
            "alice",
            "--session",
            str(session.public_id),
            "--input",
            str(path),
            stdout=StringIO(),
            stderr=StringIO(),
        )
    assert cli.value.returncode == 2 and "pregnant" in str(cli.value)
    assert not session.needling_entries.exists()


ELECTRICAL = {"frequency_hz": 2, "intensity_ma": 5, "duration_minutes": 10}


def test_an_electrode_pair_across_the_upper_back_is_refused(world):
    episode = world.episode(world.patient())
    consent(world.alice, episode)
    consent(world.alice, episode, "electrical_stimulation")
    left = {"muscle": "upper_trapezius", "side": "left", "technique": "electrical"}
    right = {**left, "side": "right"}
    session = checked_session(world.alice, episode, [left, right])
    with pytest.raises(ApplicationError) as unpaired:
        needle(world.alice, session, left, electrical=ELECTRICAL)
    assert unpaired.value.field == "paired_with"
    first = needle(world.alice, session, left, electrical=ELECTRICAL, paired_with="this_entry")
    with pytest.raises(ApplicationError) as crossing:
        needle(
            world.alice,
            fresh(session),
            right,
            electrical=ELECTRICAL,
            paired_with=str(first.public_id),
        )
    assert crossing.value.code == "circuit_crosses_protected_region"
    assert "cross the midline" in crossing.value.message
    assert session.needling_entries.count() == 1


def test_an_electrode_pair_on_one_side_of_the_neck_is_accepted(world):
    episode = world.episode(world.patient())
    consent(world.alice, episode)
    consent(world.alice, episode, "electrical_stimulation")
    trapezius = {"muscle": "upper_trapezius", "side": "left", "technique": "electrical"}
    levator = {**trapezius, "muscle": "levator_scapulae"}
    session = checked_session(world.alice, episode, [trapezius, levator])
    first = needle(world.alice, session, trapezius, electrical=ELECTRICAL, paired_with="this_entry")
    second = needle(
        world.alice,
        fresh(session),
        levator,
        electrical=ELECTRICAL,
        paired_with=str(first.public_id),
    )
    assert second.paired_with == first
    assert session.needling_entries.count() == 2


def test_an_electrode_pair_across_the_neck_is_refused(world):
    episode = world.episode(world.patient())
    consent(world.alice, episode)
    consent(world.alice, episode, "electrical_stimulation")
    left = {"muscle": "semispinalis_capitis", "side": "left", "technique": "electrical"}
    right = {**left, "muscle": "cervical_multifidus", "side": "right"}
    session = checked_session(world.alice, episode, [left, right])
    first = needle(world.alice, session, left, electrical=ELECTRICAL, paired_with="this_entry")
    with pytest.raises(ApplicationError) as crossing:
        needle(
            world.alice,
            fresh(session),
            right,
            electrical=ELECTRICAL,
            paired_with=str(first.public_id),
        )
    assert crossing.value.code == "circuit_crosses_protected_region"
    assert "neck" in crossing.value.message
    assert session.needling_entries.count() == 1
