"""The demo shows the safety screen as a physical therapist would use it: complete evaluations (and
a few unfinished ones, screened incomplete), needling only where the screen and the law allow it,
a rationale per finding, guidance acknowledged, depths within the reference depth, valid electrode
pairs, needle counts that add up, and consents on the current template."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pytest
from django.core.management import call_command

from needlerx.clinical.electrical_circuits import circuit_crosses_protected_region
from needlerx.clinical.reference_depth import reference_depth_for
from needlerx.clinical.treatment_reference import consent_template_current
from needlerx.demo.catalogue import DEMO_CLINICS
from needlerx.demo.situations import SITUATIONS
from needlerx.patients.models import HistoryFact, Medication
from needlerx.patients.selectors import patient_screening_facts
from needlerx.screening.models import ScreeningRun
from needlerx.treatments.depths import session_bmi
from needlerx.treatments.models import (
    CarePlan,
    ConsentRecord,
    GuidanceAcknowledgement,
    NeedlingEntry,
    TreatmentSession,
)
from needlerx.treatments.recheck import findings_needing_rationale, guidance_items, rationale_text

BLOCKING = ("refer", "do_not_needle", "incomplete")
SACRAMENTO = next(c.name for c in DEMO_CLINICS if (c.country, c.region) == ("US", "CA"))


@pytest.fixture
def demo(db: Any) -> None:
    call_command("demo", "--no-serve", "--patients", "450", "--seed", "11")


def _needled_sessions() -> list[TreatmentSession]:
    return list(
        TreatmentSession.objects.filter(needling_entries__isnull=False)
        .distinct()
        .prefetch_related("needling_entries__paired_with")
    )


def test_every_screen_of_a_finished_evaluation_has_its_answers(demo: None) -> None:
    every_run = ScreeningRun.objects.select_related("patient", "episode").order_by("run_at", "id")
    evaluations: dict[int, ScreeningRun] = {}
    for run in every_run:  # the first screen of each episode is the evaluation's
        evaluations.setdefault(run.episode_id, run)
    runs = list(evaluations.values())
    assert len(runs) == 450
    incomplete = [run for run in runs if run.decision == "incomplete"]
    assert incomplete, "the demo shows an evaluation not finished"
    assert all(run.result["missing"] for run in incomplete)
    # Only the unfinished evaluations miss answers (a red flag or the law may outrank them).
    unfinished = next(s for s in SITUATIONS if s.name == "evaluation_not_finished").unanswered
    for run in runs:
        if run.result["missing"]:
            assert set(run.result["missing"]) <= set(unfinished), run.result["missing"]
            assert run.decision in BLOCKING
    assert sum(bool(run.result["missing"]) for run in runs) < 0.06 * len(runs)
    # The stored screen read exactly what the record holds (history, medications, height/weight).
    for run in runs[::15]:
        on = run.episode.opened_on
        assert run.facts == patient_screening_facts(patient=run.patient, on=on), run.patient
    # Pregnancy records a trimester; the pacemaker records where the device lies.
    trimesters = HistoryFact.objects.filter(fact="pregnancy_trimester")
    assert trimesters.exists()
    pregnant = set(HistoryFact.objects.filter(fact="pregnant", value=True).values_list("patient"))
    assert pregnant == set(trimesters.values_list("patient"))
    assert HistoryFact.objects.filter(fact="implanted_device_sites").exclude(value=[]).exists()


def test_the_record_conflict_patient_shows_the_conflict(demo: None) -> None:
    conflicts = ScreeningRun.objects.filter(facts__has_key="record_conflicts")
    assert conflicts.exists()
    for run in conflicts:
        rule_ids = {finding["rule_id"] for finding in run.result["findings"]}
        assert "CONTRA-RECORD-CONFLICT-001" in rule_ids
        history = HistoryFact.objects.get(patient=run.patient, fact="anticoagulant_therapy")
        assert history.value is False
        assert Medication.objects.filter(patient=run.patient, drug_class="anticoagulant").exists()
    # Everyone else on an anticoagulant or antiplatelet has it recorded in the history as Yes.
    on_drugs = Medication.objects.filter(drug_class__in=["anticoagulant", "antiplatelet"])
    assert on_drugs.count() > conflicts.count()
    conflicted = set(conflicts.values_list("patient", flat=True))
    for medication in on_drugs.exclude(patient__in=conflicted):
        fact = f"{medication.drug_class}_therapy"
        recorded = HistoryFact.objects.filter(patient=medication.patient_id, fact=fact)
        assert [f.value for f in recorded] in ([True], []), medication.patient_id


def test_needling_only_where_the_screen_and_the_law_allow_it(demo: None) -> None:
    needled = _needled_sessions()
    assert len(needled) > 150
    assert not [s for s in needled if s.safety_decision in BLOCKING]
    blocked = ScreeningRun.objects.filter(decision__in=BLOCKING).values_list("episode")
    assert not NeedlingEntry.objects.filter(session__episode__in=blocked).exists()
    assert not ConsentRecord.objects.filter(episode__in=blocked).exists()
    # Where physical therapists may not dry needle: screens and care, no consent, no needling.
    assert ScreeningRun.objects.filter(patient__clinic__name=SACRAMENTO).exists()
    assert not ConsentRecord.objects.filter(patient__clinic__name=SACRAMENTO).exists()
    assert not NeedlingEntry.objects.filter(session__clinic__name=SACRAMENTO).exists()
    plans = CarePlan.objects.filter(episode__patient__clinic__name=SACRAMENTO)
    assert plans.exists()
    for plan in plans:
        assert "dry_needling" not in plan.interventions
        assert {"therapeutic_exercise", "manual_therapy"} <= set(plan.interventions)


def test_signed_needling_notes_are_documented_as_the_rules_require(demo: None) -> None:
    acknowledged: dict[int, set[str]] = defaultdict(set)
    for ack in GuidanceAcknowledgement.objects.all():
        acknowledged[ack.episode_id].update(ack.guidance_ids)
    for session in _needled_sessions():
        entries = list(session.needling_entries.all())
        assert session.needles_used == sum(e.needles or 0 for e in entries), session.public_id
        assert session.needles_removed == session.needles_used
        assert set(session.needle_count_entries or []) == {str(e.public_id) for e in entries}
        for rule_id in findings_needing_rationale(session.safety_result):
            text = rationale_text(session.finding_rationales, session.safety_rationale, rule_id)
            assert text, (session.public_id, rule_id)
        assert set(guidance_items(session.safety_result)) <= acknowledged[session.episode_id]
        bmi = session_bmi(session.safety_facts)
        for entry in entries:
            _check_depth(entry, bmi)
            _check_electrodes(entry, entries)


def _check_depth(entry: NeedlingEntry, bmi: float | None) -> None:
    reference = reference_depth_for(entry.muscle, bmi)
    assert entry.max_depth_mm <= entry.needle_length_mm
    if reference is not None and float(entry.max_depth_mm) > reference.mm:
        assert entry.depth_warning and entry.depth_warning_acknowledged, entry.public_id
    else:
        assert entry.depth_warning is None


def _check_electrodes(entry: NeedlingEntry, entries: list[NeedlingEntry]) -> None:
    if entry.technique != "electrical":
        assert entry.paired_with is None and entry.electrical is None
        return
    pair = entry.paired_with
    if pair is None:
        assert (entry.electrical or {}).get("circuit") == "within_entry"
        assert (entry.needles or 0) >= 2
        return
    assert pair in entries and pair.technique == "electrical"
    crossing = circuit_crosses_protected_region(entry.muscle, entry.side, pair.muscle, pair.side)
    assert crossing is None


def test_depth_exceptions_are_rare_and_electrical_pairs_exist(demo: None) -> None:
    entries = NeedlingEntry.objects.all()
    assert entries.filter(technique="electrical", paired_with__isnull=False).exists()
    exceptions = entries.filter(depth_warning__isnull=False).count()
    assert exceptions <= 0.02 * entries.count()


def test_consents_use_the_current_template_with_its_text_filled_in(demo: None) -> None:
    consents = list(ConsentRecord.objects.select_related("patient"))
    assert consents
    for consent in consents:
        current = consent_template_current(consent.template_id)
        assert current is not None and consent.template_version == current.version
        text = " ".join(section["text"] for section in consent.text)
        assert "Demo consent text" not in text and "{" not in text
        assert consent.patient.full_name in text
        assert len(consent.text) == len(current.sections) + 2
    templates = {c.template_id for c in consents}
    assert templates == {"dry_needling_general", "electrical_stimulation"}
